"""Pages for preparedness plans and action cards: reading a plan, and for the preparedness
leads creating and changing plans, their roles and who holds them, and publishing new
versions of action cards. Thin: forms in, :mod:`.plan_services` out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from beredt.accounts.models import User
from beredt.core.errors import DomainError, ValidationFailed, add_to_form
from beredt.core.params import int_param

from . import forms, plan_services, selectors
from .models import default_ack_timeout


# --- Helpers -------------------------------------------------------------------------------
def _plan(request, plan_id):
    return get_object_or_404(selectors.plans_visible_to(request.user), pk=plan_id)


def _managed_plan(request, plan_id):
    plan = _plan(request, plan_id)
    if not selectors.can_manage_plans(request.user, plan.organisation_id):
        raise PermissionDenied
    return plan


def _managed_role(request, plan_id, role_id):
    plan = _managed_plan(request, plan_id)
    return get_object_or_404(plan.roles.select_related("plan"), pk=role_id)


def _managed_organisations(request):
    """The organisations whose plans and cards the user manages; 403 when there are none."""
    organisations = selectors.plan_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    return organisations


def _card(request, card_id):
    return get_object_or_404(selectors.action_cards_visible_to(request.user), pk=card_id)


def _form_page(request, form, template, context, save):
    """Show ``form``; on a valid POST run ``save(cleaned_data)`` → ``(url, message)`` and
    redirect, or put the service's error on the form (answered with 400)."""
    if request.method == "POST" and form.is_valid():
        try:
            url, message = save(form.cleaned_data)
        except DomainError as exc:
            add_to_form(form, exc)
        else:
            messages.success(request, message)
            return redirect(url)
    return render(
        request,
        template,
        {**context, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _confirm_page(request, *, question, detail, action, success, back):
    """GET asks ``question``; POST runs ``action()`` and goes back with ``success``."""
    if request.method == "POST":
        try:
            url = action()
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(back)
        messages.success(request, success)
        return redirect(url)
    return render(
        request,
        "activation/confirm.html",
        {"question": question, "detail": detail, "back": back},
    )


def _plan_url(plan) -> str:
    return reverse("activation:plan", kwargs={"plan_id": plan.pk})


def _organisation_initial(request, organisations) -> dict:
    org = int_param(request.GET.get("organisation"))
    if org is not None and organisations.filter(pk=org).exists():
        return {"organisation": org}
    return {}


# --- Plans ---------------------------------------------------------------------------------
def _role_row(role, can_manage: bool) -> dict:
    """A role with its holders and, for a manager, the form to appoint one more."""
    form = None
    if can_manage:
        form = forms.HolderForm(
            candidates=selectors.holder_candidates(role), auto_id=f"id_role{role.pk}_%s"
        )
    return {"role": role, "form": form}


@login_required
def plan_detail(request, plan_id):
    plan = _plan(request, plan_id)
    can_manage = selectors.can_manage_plans(request.user, plan.organisation_id)
    return render(
        request,
        "activation/plan.html",
        {
            "plan": plan,
            "role_rows": [_role_row(r, can_manage) for r in selectors.plan_roles(plan)],
            "cards": selectors.current_cards(plan.organisation),
            "can_alarm": selectors.can_alarm(request.user, plan.organisation),
            "can_manage": can_manage,
            "can_see_holders": can_manage or selectors.can_see_holders(request.user, plan),
        },
    )


@login_required
def plan_create(request):
    organisations = _managed_organisations(request)
    form = forms.PlanForm(
        request.POST or None,
        organisations=organisations,
        initial={
            "ack_timeout_minutes": max(1, round(default_ack_timeout() / 60)),
            "step_1": "kop",
            "step_2": "deputy_kop",
            "step_3": "al",
            "step_4": "hl",
            **_organisation_initial(request, organisations),
        },
    )

    def save(data):
        plan, _created = plan_services.create_plan(
            by=request.user, organisation=data["organisation"], **form.plan_values()
        )
        return _plan_url(plan), _("The plan is created.")

    return _form_page(request, form, "activation/plan_form.html", {"plan": None}, save)


@login_required
def plan_edit(request, plan_id):
    plan = _managed_plan(request, plan_id)
    form = forms.PlanForm(request.POST or None, organisations=None, plan=plan)

    def save(data):
        plan_services.update_plan(by=request.user, plan=plan, **form.plan_values())
        return _plan_url(plan), _("The plan is saved.")

    return _form_page(request, form, "activation/plan_form.html", {"plan": plan}, save)


@login_required
def plan_delete(request, plan_id):
    plan = _managed_plan(request, plan_id)

    def delete():
        plan_services.delete_plan(by=request.user, plan=plan)
        return reverse("activation:home")

    return _confirm_page(
        request,
        question=_("Delete the plan “%(title)s”?") % {"title": plan.title},
        detail=_("Its roles and who holds them are deleted too. Action cards are kept."),
        action=delete,
        success=_("The plan is deleted."),
        back=_plan_url(plan),
    )


# --- Roles ---------------------------------------------------------------------------------
ROLE_FORM_FIELDS = ("duty_role", "title", "description", "organisation", "site", "order")


def _role_values(data) -> dict:
    return {f: data[f] for f in ROLE_FORM_FIELDS}


@login_required
def role_create(request, plan_id):
    plan = _managed_plan(request, plan_id)
    form = forms.PlanRoleForm(request.POST or None, plan=plan)

    def save(data):
        plan_services.add_role(by=request.user, plan=plan, **_role_values(data))
        return _plan_url(plan), _("The role is added.")

    return _form_page(request, form, "activation/role_form.html", {"plan": plan}, save)


@login_required
def role_edit(request, plan_id, role_id):
    role = _managed_role(request, plan_id, role_id)
    form = forms.PlanRoleForm(
        request.POST or None,
        plan=role.plan,
        initial={f: getattr(role, f) for f in ROLE_FORM_FIELDS},
    )

    def save(data):
        plan_services.update_role(by=request.user, role=role, **_role_values(data))
        return _plan_url(role.plan), _("The role is saved.")

    return _form_page(
        request, form, "activation/role_form.html", {"plan": role.plan, "role": role}, save
    )


@login_required
def role_remove(request, plan_id, role_id):
    role = _managed_role(request, plan_id, role_id)

    def remove():
        plan_services.remove_role(by=request.user, role=role)
        return _plan_url(role.plan)

    return _confirm_page(
        request,
        question=_("Remove the role “%(title)s” from the plan?") % {"title": role.title},
        detail=_("Who holds the role is removed with it."),
        action=remove,
        success=_("The role is removed."),
        back=_plan_url(role.plan),
    )


def _holders_response(request, role, action, success):
    """Run ``action()`` (appoint or release); HTMX gets the role's holder cell back, other
    requests go back to the plan."""
    error = None
    try:
        action()
    except DomainError as exc:
        error = str(exc.message)
    if request.htmx:
        row = _role_row(selectors.plan_roles(role.plan).get(pk=role.pk), can_manage=True)
        return render(
            request,
            "activation/_role_holders.html",
            {"row": row, "plan": role.plan, "can_manage": True, "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, success)
    return redirect(_plan_url(role.plan))


@login_required
@require_POST
def holder_add(request, plan_id, role_id):
    role = _managed_role(request, plan_id, role_id)
    form = forms.HolderForm(request.POST, candidates=selectors.holder_candidates(role))

    def assign():
        if not form.is_valid():
            raise ValidationFailed(_("Choose a person from the list."))
        plan_services.assign_holder(by=request.user, role=role, user=form.cleaned_data["user"])

    return _holders_response(request, role, assign, _("The person holds the role."))


@login_required
@require_POST
def holder_remove(request, plan_id, role_id, user_id):
    role = _managed_role(request, plan_id, role_id)
    user = get_object_or_404(User, pk=user_id)
    return _holders_response(
        request,
        role,
        lambda: plan_services.unassign_holder(by=request.user, role=role, user=user),
        _("The person no longer holds the role."),
    )


# --- Action cards --------------------------------------------------------------------------
@login_required
def card_detail(request, card_id):
    card = _card(request, card_id)
    return render(
        request,
        "activation/card.html",
        {
            "card": card,
            "versions": selectors.card_versions(card),
            "can_manage": selectors.can_manage_plans(request.user, card.organisation_id),
        },
    )


def _card_url(card) -> str:
    return reverse("activation:card", kwargs={"card_id": card.pk})


@login_required
def card_create(request):
    organisations = _managed_organisations(request)
    form = forms.ActionCardForm(
        request.POST or None,
        organisations=organisations,
        initial=_organisation_initial(request, organisations),
    )

    def save(data):
        card, _created = plan_services.create_card(by=request.user, **data)
        return _card_url(card), _("The action card is created.")

    return _form_page(request, form, "activation/card_form.html", {"card": None}, save)


@login_required
def card_edit(request, card_id):
    """Change a card: saving publishes a new version; the one shown stays as it was."""
    card = _card(request, card_id)
    if not selectors.can_manage_plans(request.user, card.organisation_id):
        raise PermissionDenied
    form = forms.ActionCardForm(request.POST or None, card=card)

    def save(data):
        new, _created = plan_services.publish_card_version(by=request.user, card=card, **data)
        return _card_url(new), _("Version %(v)s is published.") % {"v": new.version}

    return _form_page(request, form, "activation/card_form.html", {"card": card}, save)
