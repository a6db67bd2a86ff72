"""Writes for preparedness plans, their roles, who holds each role, and action cards.

Only the organisation's preparedness leads (:data:`selectors.PLAN_MANAGER_ROLES`, in the
organisation or above it) and superusers may write. Creates are idempotent on an optional
``client_id`` (a retry returns the first row and ``created=False``). Every change is written
to the audit log in the same transaction.

An action card is never edited in place: publishing a change creates a new version (a new
row) and makes it the current one, so the earlier versions stay readable and the ticks of
past incidents keep pointing at the text that was used.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from beredt.accounts.models import User
from beredt.core import audit
from beredt.core.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from beredt.notify.transports import TransportError, public_addresses
from beredt.organisations import selectors as org_selectors
from beredt.organisations.models import Organisation, Site

from . import selectors
from .models import ActionCard, DutyRole, Plan, PlanRole, PlanRoleHolder, default_ack_timeout

MIN_ACK_TIMEOUT_SECONDS = 30
MAX_ACK_TIMEOUT_SECONDS = 24 * 60 * 60
MAX_ESCALATION_STEPS = 8
MAX_CARD_ITEMS = 60
MAX_ITEM_LENGTH = 500
CARD_CODE = re.compile(r"^[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå._-]{0,29}$")

PLAN_FIELDS = [
    "title",
    "summary",
    "activation_criteria",
    "activating_organisations",
    "ack_timeout_seconds",
    "escalation",
    "webhook_url",
]
ROLE_FIELDS = ["duty_role", "title", "description", "organisation", "site", "order"]
CARD_FIELDS = ["code", "version", "title", "duty_role", "organisation", "items"]


# --- Checks --------------------------------------------------------------------------------
def _text(value: str | None, *, field: str, max_length: int, required: bool = False) -> str:
    """Stripped text; NUL characters, overlong and (if required) empty values are refused."""
    value = (value or "").strip()
    if "\x00" in value:
        raise ValidationFailed(_("The text contains an invalid character."), field=field)
    if required and not value:
        raise ValidationFailed(_("This field is required."), code="required", field=field)
    if len(value) > max_length:
        raise ValidationFailed(
            _("At most %(n)s characters.") % {"n": max_length}, code="too_long", field=field
        )
    return value


def _require_manager(by: User, organisation: Organisation | int) -> None:
    if not selectors.can_manage_plans(by, organisation):
        raise Forbidden(
            _("Only the preparedness leads of the organisation can change its plans."),
        )


def _retry_of(
    model: type[models.Model],
    client_id: uuid.UUID | None,
    *,
    by: User,
    owner: Callable[[models.Model], int],
    belongs: Callable[[models.Model], bool] = lambda obj: True,
):
    """The row an earlier request with ``client_id`` created, or None. A client_id used for
    something else (or something the user may not manage) is a conflict."""
    if client_id is None:
        return None
    existing = model.objects.filter(client_id=client_id).first()
    if existing is None:
        return None
    if not (belongs(existing) and selectors.can_manage_plans(by, owner(existing))):
        raise Conflict(
            _("That client_id was already used for something else."),
            code="client_id_taken",
            field="client_id",
        )
    return existing


def _create_once(model: type[models.Model], client_id, create, *, conflict: DomainError):
    """Run ``create()`` in a savepoint. When a concurrent retry with the same client_id won
    the race, return its row; any other unique clash is ``conflict``."""
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        existing = model.objects.filter(client_id=client_id).first() if client_id else None
        if existing is None:
            raise conflict from None
        return existing, False


def _escalation(steps: Iterable[str]) -> list[str]:
    steps = [str(s) for s in steps]
    if not steps:
        raise ValidationFailed(
            _("The escalation chain needs at least one role."), code="required", field="escalation"
        )
    if len(steps) > MAX_ESCALATION_STEPS:
        raise ValidationFailed(
            _("At most %(n)s escalation steps.") % {"n": MAX_ESCALATION_STEPS}, field="escalation"
        )
    if any(s not in DutyRole for s in steps):
        raise ValidationFailed(_("Unknown role."), code="invalid", field="escalation")
    if len(set(steps)) != len(steps):
        raise ValidationFailed(
            _("A role can only be one step of the chain."), code="duplicate", field="escalation"
        )
    return steps


def _ack_timeout(seconds: int | None) -> int:
    if seconds is None:
        return default_ack_timeout()
    if not MIN_ACK_TIMEOUT_SECONDS <= seconds <= MAX_ACK_TIMEOUT_SECONDS:
        raise ValidationFailed(
            _("The acknowledgement time must be between %(min)s seconds and %(max)s hours.")
            % {"min": MIN_ACK_TIMEOUT_SECONDS, "max": MAX_ACK_TIMEOUT_SECONDS // 3600},
            code="out_of_range",
            field="ack_timeout_seconds",
        )
    return seconds


def _webhook(url: str | None) -> str:
    url = _text(url, field="webhook_url", max_length=200)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except DjangoValidationError:
            raise ValidationFailed(
                _("Enter a valid web address (http or https)."), field="webhook_url"
            ) from None
        parts = urlsplit(url)
        try:
            public_addresses(parts.hostname or "", parts.port or 443)
        except TransportError as exc:
            # A name that does not resolve now is checked again when an alarm is sent.
            if exc.permanent:
                raise ValidationFailed(
                    _("The webhook may not point to an internal address (loopback, private "
                      "or link-local network)."), code="webhook_internal", field="webhook_url"
                ) from None
    return url


def _plan_values(
    *,
    title: str,
    summary: str = "",
    activation_criteria: str = "",
    ack_timeout_seconds: int | None = None,
    escalation: Iterable[str] | None = None,
    activating_organisations: Iterable[Organisation] = (),
    webhook_url: str = "",
) -> tuple[dict, list[Organisation]]:
    """The fields of a plan, checked: ``(column values, activating organisations)``. An
    omitted acknowledgement time or escalation chain is the default."""
    values = {
        "title": _text(title, field="title", max_length=200, required=True),
        "summary": _text(summary, field="summary", max_length=10000),
        "activation_criteria": _text(
            activation_criteria, field="activation_criteria", max_length=10000
        ),
        "ack_timeout_seconds": _ack_timeout(ack_timeout_seconds),
        "escalation": _escalation(escalation)
        if escalation is not None
        else ["kop", "deputy_kop", "al", "hl"],
        "webhook_url": _webhook(webhook_url),
    }
    return values, list(activating_organisations)


def _ensure_title_free(model: type[models.Model], title: str, exclude_pk: int | None,
                       **scope) -> None:
    if model.objects.filter(title=title, **scope).exclude(pk=exclude_pk).exists():
        raise Conflict(
            _("There is already one with the title “%(title)s”.") % {"title": title},
            code="title_taken",
            field="title",
        )


def _apply(obj: models.Model, values: dict) -> list[str]:
    """Set ``values`` on ``obj`` and save it; returns the fields that changed."""
    changed = [f for f, v in values.items() if getattr(obj, f) != v]
    for field, value in values.items():
        setattr(obj, field, value)
    obj.save()
    return changed


# --- Plans ---------------------------------------------------------------------------------
@transaction.atomic
def create_plan(
    *, by: User, organisation: Organisation, client_id: uuid.UUID | None = None, **fields
) -> tuple[Plan, bool]:
    """A new preparedness plan for ``organisation``; ``fields`` are those of
    :func:`_plan_values`. Returns ``(plan, created)``."""
    existing = _retry_of(Plan, client_id, by=by, owner=lambda p: p.organisation_id)
    if existing is not None:
        return existing, False
    _require_manager(by, organisation)
    values, activators = _plan_values(**fields)
    _ensure_title_free(Plan, values["title"], None, organisation=organisation)
    plan, created = _create_once(
        Plan,
        client_id,
        lambda: Plan.objects.create(organisation=organisation, client_id=client_id, **values),
        conflict=Conflict(_("The plan could not be saved."), code="conflict"),
    )
    if created:
        plan.activating_organisations.set(activators)
        audit.record(action=audit.AuditAction.CREATE, obj=plan, actor=by, fields=PLAN_FIELDS)
    return plan, created


@transaction.atomic
def update_plan(*, by: User, plan: Plan, **fields) -> Plan:
    """Replace every field of the plan (``fields`` as for :func:`_plan_values`)."""
    _require_manager(by, plan.organisation_id)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    values, activators = _plan_values(**fields)
    _ensure_title_free(Plan, values["title"], plan.pk, organisation_id=plan.organisation_id)
    changed = _apply(plan, values)
    if {o.pk for o in activators} != set(
        plan.activating_organisations.values_list("pk", flat=True)
    ):
        plan.activating_organisations.set(activators)
        changed.append("activating_organisations")
    audit.record(action=audit.AuditAction.UPDATE, obj=plan, actor=by, fields=changed)
    return plan


@transaction.atomic
def delete_plan(*, by: User, plan: Plan) -> None:
    """Delete a plan with its roles (alarms raised under it keep their own copy of the
    chain and time)."""
    _require_manager(by, plan.organisation_id)
    audit.record(
        action=audit.AuditAction.DELETE,
        obj=plan,
        actor=by,
        fields=["title"],
        extra={"organisation": plan.organisation_id},
    )
    plan.delete()


# --- Roles ---------------------------------------------------------------------------------
def _role_values(
    *,
    plan: Plan,
    duty_role: str,
    title: str,
    description: str = "",
    organisation: Organisation | None = None,
    site: Site | None = None,
    order: int | None = None,
) -> dict:
    """The fields of a role, checked. The department is the plan's organisation or below
    it; the site belongs to the department (or the plan's organisation tree)."""
    if duty_role not in DutyRole:
        raise ValidationFailed(_("Unknown role."), code="invalid", field="duty_role")
    tree = org_selectors.descendant_ids([plan.organisation_id])
    if organisation is not None and organisation.pk not in tree:
        raise ValidationFailed(
            _("The department must be the plan's organisation or below it."),
            field="organisation_id",
        )
    if site is not None:
        allowed = org_selectors.descendant_ids([organisation.pk]) if organisation else tree
        if site.organisation_id not in allowed:
            raise ValidationFailed(_("The site belongs to another organisation."), field="site_id")
    if order is not None and not 0 <= order <= 1000:
        raise ValidationFailed(_("The order is a number from 0 to 1000."), field="order")
    return {
        "duty_role": duty_role,
        "title": _text(title, field="title", max_length=200, required=True),
        "description": _text(description, field="description", max_length=10000),
        "organisation": organisation,
        "site": site,
        "order": order,
    }


@transaction.atomic
def add_role(
    *, by: User, plan: Plan, client_id: uuid.UUID | None = None, **fields
) -> tuple[PlanRole, bool]:
    """Add a role to the plan (``fields`` as for :func:`_role_values`), placed last unless
    ``order`` is given."""
    existing = _retry_of(
        PlanRole,
        client_id,
        by=by,
        owner=lambda r: r.plan.organisation_id,
        belongs=lambda r: r.plan_id == plan.pk,
    )
    if existing is not None:
        return existing, False
    _require_manager(by, plan.organisation_id)
    values = _role_values(plan=plan, **fields)
    if values["order"] is None:
        last = plan.roles.aggregate(m=Max("order"))["m"]
        values["order"] = min(1000, 0 if last is None else last + 1)
    _ensure_title_free(PlanRole, values["title"], None, plan=plan)
    role, created = _create_once(
        PlanRole,
        client_id,
        lambda: PlanRole.objects.create(plan=plan, client_id=client_id, **values),
        conflict=Conflict(_("The role could not be saved."), code="conflict"),
    )
    if created:
        _audit_role(by, role, audit.AuditAction.CREATE, ROLE_FIELDS)
    return role, created


@transaction.atomic
def update_role(*, by: User, role: PlanRole, **fields) -> PlanRole:
    """Replace every field of the role (``fields`` as for :func:`_role_values`; without
    ``order`` it keeps its place)."""
    plan = role.plan
    _require_manager(by, plan.organisation_id)
    role = PlanRole.objects.select_for_update().get(pk=role.pk)
    values = _role_values(plan=plan, **fields)
    if values["order"] is None:
        values["order"] = role.order
    _ensure_title_free(PlanRole, values["title"], role.pk, plan=plan)
    changed = _apply(role, values)
    _audit_role(by, role, audit.AuditAction.UPDATE, changed)
    return role


def _audit_role(by: User, role: PlanRole, action: str, fields: list[str], **extra) -> None:
    audit.record(
        action=action, obj=role, actor=by, fields=fields, extra={"plan": role.plan_id, **extra}
    )


@transaction.atomic
def remove_role(*, by: User, role: PlanRole) -> None:
    """Remove a role from its plan, and with it the record of who held it."""
    _require_manager(by, role.plan.organisation_id)
    holders = list(role.holdings.values_list("user_id", flat=True))
    fields = ["title", "holders"] if holders else ["title"]
    _audit_role(by, role, audit.AuditAction.DELETE, fields, holders=holders)
    role.delete()


# --- Who holds a role ------------------------------------------------------------------------
@transaction.atomic
def assign_holder(*, by: User, role: PlanRole, user: User) -> tuple[PlanRoleHolder, bool]:
    """Appoint ``user`` to the role. Idempotent: appointing a holder again returns the
    existing appointment and ``created=False``."""
    _require_manager(by, role.plan.organisation_id)
    existing = role.holdings.filter(user=user).first()
    if existing is not None:
        return existing, False
    if not user.is_active or not selectors.holder_candidates(role).filter(pk=user.pk).exists():
        raise ValidationFailed(
            _("The person must be a member of the role's department or the plan's organisation."),
            code="not_member",
            field="user_id",
        )
    holder, created = _create_once(
        PlanRoleHolder,
        None,
        lambda: PlanRoleHolder.objects.create(role=role, user=user, assigned_by=by),
        conflict=Conflict(_("The person already holds the role."), code="already_holder"),
    )
    audit.record(
        action=audit.AuditAction.CREATE,
        obj=holder,
        actor=by,
        fields=["user", "role"],
        extra={"plan": role.plan_id, "role": role.pk},
    )
    return holder, created


@transaction.atomic
def unassign_holder(*, by: User, role: PlanRole, user: User) -> None:
    _require_manager(by, role.plan.organisation_id)
    holder = role.holdings.filter(user=user).first()
    if holder is None:
        raise NotFound(_("The person does not hold this role."), code="not_holder")
    audit.record(
        action=audit.AuditAction.DELETE,
        obj=holder,
        actor=by,
        fields=["user", "role"],
        extra={"plan": role.plan_id, "role": role.pk, "user": user.pk},
    )
    holder.delete()


# --- Action cards --------------------------------------------------------------------------
def _items(items: Iterable[str]) -> list[str]:
    items = [str(i) for i in items]
    if not items:
        raise ValidationFailed(
            _("The card needs at least one item."), code="required", field="items"
        )
    if len(items) > MAX_CARD_ITEMS:
        raise ValidationFailed(
            _("At most %(n)s items.") % {"n": MAX_CARD_ITEMS}, code="too_long", field="items"
        )
    cleaned = [_text(i, field="items", max_length=MAX_ITEM_LENGTH, required=True) for i in items]
    return cleaned


def _card_values(*, title: str, duty_role: str, items: Iterable[str]) -> dict:
    if duty_role not in DutyRole:
        raise ValidationFailed(_("Unknown role."), code="invalid", field="duty_role")
    return {
        "title": _text(title, field="title", max_length=200, required=True),
        "duty_role": duty_role,
        "items": _items(items),
    }


def _audit_card(by: User, card: ActionCard, fields: list[str]) -> None:
    audit.record(
        action=audit.AuditAction.CREATE,
        obj=card,
        actor=by,
        fields=fields,
        extra={"code": card.code, "version": card.version},
    )


@transaction.atomic
def create_card(
    *,
    by: User,
    organisation: Organisation,
    code: str,
    title: str,
    duty_role: str,
    items: Iterable[str],
    client_id: uuid.UUID | None = None,
) -> tuple[ActionCard, bool]:
    """A new action card (version 1) of ``organisation``."""
    existing = _retry_of(ActionCard, client_id, by=by, owner=lambda c: c.organisation_id)
    if existing is not None:
        return existing, False
    _require_manager(by, organisation)
    code = _text(code, field="code", max_length=30, required=True)
    if not CARD_CODE.match(code):
        raise ValidationFailed(
            _("Use letters, digits, dot, dash or underscore in the code, e.g. C-BUR."),
            field="code",
        )
    values = _card_values(title=title, duty_role=duty_role, items=items)
    taken = Conflict(
        _("There is already a card with the code %(code)s.") % {"code": code},
        code="code_taken",
        field="code",
    )
    if ActionCard.objects.filter(code=code).exists():
        raise taken
    card, created = _create_once(
        ActionCard,
        client_id,
        lambda: ActionCard.objects.create(
            organisation=organisation,
            code=code,
            version=1,
            client_id=client_id,
            created_by=by,
            **values,
        ),
        conflict=taken,
    )
    if created:
        _audit_card(by, card, CARD_FIELDS)
    return card, created


@transaction.atomic
def publish_card_version(
    *,
    by: User,
    card: ActionCard,
    title: str,
    duty_role: str,
    items: Iterable[str],
    client_id: uuid.UUID | None = None,
) -> tuple[ActionCard, bool]:
    """Publish a changed card as a new version; the version it replaces stays readable (not
    current) and keeps its ticks. ``card`` must be the current version: editing an older
    one would overwrite a change somebody else published since (409 ``not_current``)."""
    _require_manager(by, card.organisation_id)
    # Lock every version of the card first: a concurrent retry with the same client_id then
    # finds the version the first request published.
    versions = list(ActionCard.objects.select_for_update().filter(code=card.code))
    existing = _retry_of(
        ActionCard,
        client_id,
        by=by,
        owner=lambda c: c.organisation_id,
        belongs=lambda c: c.code == card.code,
    )
    if existing is not None:
        return existing, False
    current = next((v for v in versions if v.is_current), None)
    if current is None or current.pk != card.pk:
        raise Conflict(
            _("A newer version of %(code)s has been published; start from version %(v)s.")
            % {"code": card.code, "v": current.version if current else "–"},
            code="not_current",
        )
    values = _card_values(title=title, duty_role=duty_role, items=items)
    changed = [f for f, v in values.items() if getattr(current, f) != v]
    if not changed:
        raise ValidationFailed(
            _("Nothing has changed; no new version was published."), code="unchanged"
        )
    current.is_current = False
    current.save(update_fields=["is_current"])
    card, created = _create_once(
        ActionCard,
        client_id,
        lambda: ActionCard.objects.create(
            code=current.code,
            version=max(v.version for v in versions) + 1,
            organisation_id=current.organisation_id,
            client_id=client_id,
            created_by=by,
            **values,
        ),
        conflict=Conflict(_("The card could not be saved."), code="conflict"),
    )
    audit.record(
        action=audit.AuditAction.UPDATE,
        obj=current,
        actor=by,
        fields=["is_current"],
        extra={"code": current.code, "version": current.version, "replaced_by": card.pk},
    )
    _audit_card(by, card, changed)
    return card, created
