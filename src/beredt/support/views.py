"""The staff support tool (login): checklists and action cards by role, the crisis
conversation guide, reference texts, self-tests and printable material."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from beredt.activation.selectors import current_cards
from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import DomainError
from beredt.core.params import int_param
from beredt.core.search import search_term
from beredt.geo import selectors as geo_selectors
from beredt.incidents import selectors as incident_selectors
from beredt.organisations.selectors import memberships_of
from beredt.registry import selectors as registry_selectors
from beredt.registry.models import RegistrationStatus

from . import content, pdf, selectors, services
from .models import GuideNote

# Which support-tool checklist and self-test suit an organisation role.
ROLE_OF_MEMBERSHIP = {
    "kop": "kop", "crisis_team": "crisis_team", "registrar": "registrar",
    "followup_coordinator": "crisis_team", "volunteer_coordinator": "frontline",
    "viewer": "frontline",
}


def my_roles(user) -> list[str]:
    roles = {ROLE_OF_MEMBERSHIP[m.role] for m in memberships_of(user)
             if m.role in ROLE_OF_MEMBERSHIP}
    return [r for r in content.ROLES if r in roles]


def action_cards_for(user) -> list:
    """Action cards of the user's organisations (activation app), each once."""
    cards = []
    seen = set()
    for membership in memberships_of(user):
        for card in current_cards(membership.organisation):
            if card.pk not in seen:
                seen.add(card.pk)
                cards.append(card)
    return cards


@login_required
def home(request):
    latest = selectors.latest_results(request.user)
    return render(request, "support/home.html", {
        "my_roles": my_roles(request.user),
        "checklists": content.checklists(),
        "quizzes": [{"quiz": q, "latest": latest.get(q["role"])} for q in content.quizzes()],
        "reference": content.reference_pages(),
        "guide": content.guide(),
        "cards": action_cards_for(request.user),
    })


@login_required
def checklists(request):
    return render(request, "support/checklists.html", {
        "checklists": content.checklists(), "my_roles": my_roles(request.user),
        "cards": action_cards_for(request.user),
    })


@login_required
def reference(request, slug):
    html = content.reference_html(slug)
    if html is None:
        raise Http404
    title = next(p["title"] for p in content.reference_pages() if p["slug"] == slug)
    return render(request, "support/reference.html", {"title": title, "body": html,
                                                      "pages": content.reference_pages()})


def _registration(request, registration_id):
    if registration_id is None:
        return None
    try:
        registration = registry_selectors.registration_for(request.user, registration_id)
    except DomainError:
        raise Http404 from None
    if registration.status == RegistrationStatus.ANONYMISED:
        raise Http404
    audit.record(action=AuditAction.VIEW, obj=registration, fields=["full_name"])
    return registration


@login_required
@require_http_methods(["GET", "POST"])
def guide(request, registration_id=None):
    registration = _registration(request, registration_id)
    error = None
    query, moved, _link = search_term(request)
    if moved and registration is None:
        return moved
    if request.method == "POST" and registration is not None:
        data = {key: request.POST.getlist(key) if key.endswith("-asked") else value
                for key, value in request.POST.items()}
        try:
            note = services.save_guide_note(by=request.user, registration_id=registration.pk,
                                            data=data)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("The conversation is saved as a note on the "
                                        "registration."))
            return redirect("support:note", note_id=note.pk)
    hits = []
    if registration is None and query:
        open_incidents = incident_selectors.active_incidents_visible_to(request.user)
        qs = registry_selectors.registrations_visible_to(request.user).filter(
            incident__in=open_incidents, status=RegistrationStatus.ACTIVE)
        hits = list(registry_selectors.search(qs, query))[:20]
        audit.record_many(action=AuditAction.SEARCH, objects=hits, fields=["full_name"])
    notes = (selectors.guide_notes_visible_to(request.user).filter(registration=registration)
             if registration else GuideNote.objects.none())
    return render(request, "support/guide.html", {
        "guide": content.guide(), "registration": registration, "query": query, "hits": hits,
        "notes": notes, "error": error, "posted": request.POST if error else None,
    }, status=400 if error else 200)


@login_required
def note(request, note_id):
    found = selectors.guide_notes_visible_to(request.user).filter(pk=note_id).first()
    if found is None:
        raise Http404
    audit.record(action=AuditAction.VIEW, obj=found, fields=["content"])
    data = selectors.note_content(found)
    return render(request, "support/note.html", {
        "note": found, "phases": selectors.guide_summary(data), "data": data,
        "guide": content.guide(),
    })


@login_required
@require_http_methods(["GET", "POST"])
def quiz(request, role):
    quiz_data = content.quiz(role)
    if quiz_data is None:
        raise Http404
    attempt, error = None, None
    chosen: dict = {}
    if request.method == "POST":
        chosen = {q["id"]: request.POST.get(q["id"]) for q in quiz_data["questions"]}
        try:
            attempt = services.record_quiz_attempt(user=request.user, role=role, answers=chosen)
        except DomainError as exc:
            error = str(exc.message)
    questions = []
    for q in quiz_data["questions"]:
        picked = attempt.answers.get(q["id"]) if attempt else None
        questions.append({**q, "picked": picked, "chosen": chosen.get(q["id"]),
                          "correct": picked == q["answer"] if attempt else None})
    return render(request, "support/quiz.html", {
        "quiz": quiz_data, "questions": questions, "attempt": attempt, "error": error,
        "pass_mark": content.pass_mark(),
    }, status=400 if error else 200)


@login_required
def training(request):
    attempts = selectors.quiz_attempts_visible_to(request.user).order_by(
        "user__username", "-taken_at")[:500]
    titles = {q["role"]: q["title"] for q in content.quizzes()}
    return render(request, "support/training.html", {
        "attempts": [(a, titles.get(a.quiz, a.quiz)) for a in attempts],
    })


@login_required
def printables(request):
    return render(request, "support/print.html", {
        "municipalities": geo_selectors.municipalities().order_by("name"),
        "incidents": incident_selectors.active_incidents_visible_to(request.user),
        "languages": [(code, name) for code, name in PUBLIC_LANGUAGES],
    })


# The five languages of the public site and its leaflet (names in their own language).
PUBLIC_LANGUAGES = (("da", "Dansk"), ("en", "English"), ("ar", "العربية"),
                    ("uk", "Українська"), ("pl", "Polski"))


@login_required
def contact_sheet_pdf(request):
    code = int_param(request.GET.get("municipality"))
    if code is None or not geo_selectors.municipality(code):
        messages.error(request, _("Choose a municipality."))
        return redirect("support:print")
    response = HttpResponse(pdf.contact_sheet(code), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="contact-sheet-{code}.pdf"'
    return response
