"""Reads of the support tool with the access rules built in.

Self-test results are training records: a person sees their own; the leading roles of an
organisation (HL, AL, preparedness lead, KOP, administrator) see those of the members of
their organisation and every organisation below it.

Conversation notes are personal data on a registration: they follow the registry's rule
for its restricted note — the author and the incident's lead/KOP, and only while the
registration itself is visible to the user.
"""

from __future__ import annotations

import json

from django.db.models import Q, QuerySet

from beredt.incidents.models import INCIDENT_LEAD_ROLES, Assignment
from beredt.organisations.models import LEADING_ROLES, Membership
from beredt.organisations.selectors import organisation_ids_with_role
from beredt.registry import selectors as registry_selectors

from . import content
from .models import GuideNote, QuizAttempt


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def quiz_attempts_visible_to(user) -> QuerySet[QuizAttempt]:
    qs = QuizAttempt.objects.select_related("user")
    if not _active(user):
        return qs.none()
    if user.is_superuser:
        return qs
    org_ids = organisation_ids_with_role(user, LEADING_ROLES)
    members = Membership.objects.filter(organisation_id__in=org_ids).values("user_id")
    return qs.filter(Q(user=user) | Q(user_id__in=members))


def latest_results(user) -> dict[str, QuizAttempt]:
    """The user's latest attempt per self-test."""
    latest: dict[str, QuizAttempt] = {}
    for attempt in QuizAttempt.objects.filter(user=user).order_by("-taken_at"):
        latest.setdefault(attempt.quiz, attempt)
    return latest


def guide_notes_visible_to(user) -> QuerySet[GuideNote]:
    if not _active(user):
        return GuideNote.objects.none()
    qs = GuideNote.objects.select_related("registration", "incident", "author").filter(
        registration__in=registry_selectors.registrations_visible_to(user))
    if user.is_superuser:
        return qs
    lead_of = Assignment.objects.filter(user=user, released_at__isnull=True,
                                        role__in=INCIDENT_LEAD_ROLES).values("incident_id")
    return qs.filter(Q(author=user) | Q(incident_id__in=lead_of))


def note_content(note: GuideNote) -> dict:
    return json.loads(note.content)


def guide_summary(data: dict, lang: str | None = None) -> list[dict]:
    """A saved note as phases with the text of the questions asked, for display and PDF."""
    guide = content.guide(lang)
    phases = []
    for phase in guide["phases"]:
        saved = data.get("phases", {}).get(phase["id"], {})
        asked = set(saved.get("asked", []))
        phases.append({
            "title": phase["title"],
            "asked": [q["text"] for q in phase["questions"] if q["id"] in asked],
            "notes": saved.get("notes", ""),
        })
    return phases
