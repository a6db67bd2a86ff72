"""Quiz results (training records of the self-tests) and conversation-guide notes."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from beredt.core.fields import EncryptedTextField


class QuizAttempt(models.Model):
    """One self-test taken by one person; kept for the training records."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="quiz_attempts", verbose_name=_("person"))
    quiz = models.CharField(_("self-test"), max_length=30)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    score = models.PositiveSmallIntegerField(_("correct answers"))
    total = models.PositiveSmallIntegerField(_("questions"))
    passed = models.BooleanField(_("passed"))
    answers = models.JSONField(_("answers"), default=dict)
    taken_at = models.DateTimeField(_("taken"), auto_now_add=True)

    class Meta:
        verbose_name = _("self-test result")
        verbose_name_plural = _("self-test results")
        ordering = ["-taken_at"]
        indexes = [models.Index(fields=["user", "quiz", "-taken_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(score__lte=models.F("total")),
                                   name="support_quiz_score_within_total"),
            models.CheckConstraint(condition=models.Q(total__gt=0),
                                   name="support_quiz_has_questions"),
        ]

    def __str__(self) -> str:
        return f"{self.quiz} {self.score}/{self.total}"

    @property
    def percent(self) -> int:
        return round(100 * self.score / self.total)


class GuideNote(models.Model):
    """A crisis conversation (guide of seed 003, appendix 2) saved as a note on a registration.

    ``content`` is encrypted JSON: per phase the question ids asked and the notes, the plan
    and the answer to "may we contact you again". Deleted with the registration; notes of
    anonymised registrations are removed by ``beredt purgeguidenotes``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    registration = models.ForeignKey("registry.Registration", on_delete=models.CASCADE,
                                     related_name="guide_notes",
                                     verbose_name=_("registration"))
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE,
                                 related_name="+", verbose_name=_("incident"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("written by"))
    content = EncryptedTextField(_("content"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("conversation note")
        verbose_name_plural = _("conversation notes")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.pk)
