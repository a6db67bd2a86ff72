"""Writes of the support tool: self-test results and conversation notes."""

from __future__ import annotations

import json
import uuid

from django.db import transaction
from django.utils.translation import gettext as _

from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import NotFound, ValidationFailed
from beredt.registry import selectors as registry_selectors
from beredt.registry.models import RegistrationStatus

from . import content
from .models import GuideNote, QuizAttempt

CONTACT_AGAIN = ("yes", "no", "")


def score(role: str, answers: dict) -> tuple[int, int, dict[str, int]]:
    """``(correct, total, cleaned answers)`` against the Danish answer key."""
    quiz = content.quiz(role, "da")
    if quiz is None:
        raise NotFound(_("There is no self-test for this role."))
    cleaned: dict[str, int] = {}
    for question in quiz["questions"]:
        raw = answers.get(question["id"])
        try:
            choice = int(raw)
        except (TypeError, ValueError):
            raise ValidationFailed(_("Answer every question."), code="unanswered",
                                   field=question["id"]) from None
        if not 0 <= choice < len(question["options"]):
            raise ValidationFailed(_("Unknown answer."), code="invalid_choice",
                                   field=question["id"])
        cleaned[question["id"]] = choice
    correct = sum(1 for q in quiz["questions"] if cleaned[q["id"]] == q["answer"])
    return correct, len(quiz["questions"]), cleaned


@transaction.atomic
def record_quiz_attempt(*, user, role: str, answers: dict) -> QuizAttempt:
    correct, total, cleaned = score(role, answers)
    quiz = content.quiz(role, "da")
    return QuizAttempt.objects.create(
        user=user, quiz=role, version=quiz["version"], score=correct, total=total,
        passed=100 * correct >= content.pass_mark() * total, answers=cleaned,
    )


def clean_guide(data: dict) -> dict:
    """Keep only known question ids; notes as text. Raises if nothing was filled in."""
    guide = content.guide("da")
    phases = {}
    for phase in guide["phases"]:
        ids = {q["id"] for q in phase["questions"]}
        asked = [i for i in data.get(f"{phase['id']}-asked", []) if i in ids]
        notes = str(data.get(f"{phase['id']}-notes", "")).strip()[:4000]
        if asked or notes:
            phases[phase["id"]] = {"asked": asked, "notes": notes}
    plan = str(data.get("plan", "")).strip()[:4000]
    contact_again = str(data.get("contact_again", ""))
    if contact_again not in CONTACT_AGAIN:
        raise ValidationFailed(_("Unknown answer."), code="invalid_choice",
                               field="contact_again")
    if not (phases or plan or contact_again):
        raise ValidationFailed(_("Nothing to save: tick a question or write a note."),
                               code="empty", field="plan")
    return {"phases": phases, "plan": plan, "contact_again": contact_again}


@transaction.atomic
def save_guide_note(*, by, registration_id: uuid.UUID, data: dict) -> GuideNote:
    """Save a crisis conversation as a note on a registration the user can see."""
    registration = registry_selectors.registration_for(by, registration_id)
    if registration.status == RegistrationStatus.ANONYMISED:
        raise NotFound()
    cleaned = clean_guide(data)
    note = GuideNote.objects.create(registration=registration,
                                    incident_id=registration.incident_id, author=by,
                                    content=json.dumps(cleaned, ensure_ascii=False))
    audit.record(action=AuditAction.CREATE, obj=note, actor=by, fields=["content"],
                 extra={"registration": str(registration.pk)})
    return note


@transaction.atomic
def purge_guide_notes() -> int:
    """Delete the notes of registrations the registry has anonymised (retention)."""
    notes = list(GuideNote.objects.filter(registration__status=RegistrationStatus.ANONYMISED))
    audit.record_many(action=AuditAction.DELETE, objects=notes, fields=["content"])
    GuideNote.objects.filter(pk__in=[n.pk for n in notes]).delete()
    return len(notes)
