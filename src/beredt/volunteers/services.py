"""Writes: partnership, units, volunteers (invitation), the rota, requests, onboarding.

Keyword-only arguments, one transaction each, :class:`~beredt.core.errors.DomainError`s with
a stable code. Messages go through notify (queued in the same transaction, delivered by
the ``deliver_messages`` task enqueued there too). Personal data (volunteer profiles) is
audited.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from beredt.accounts.models import User
from beredt.core import audit
from beredt.core.audit import AuditAction
from beredt.core.errors import Conflict, Forbidden, NotFound, ValidationFailed
from beredt.notify.models import Channel
from beredt.notify.services import queue_messages
from beredt.notify.tasks import deliver_messages
from beredt.organisations.models import Organisation, OrganisationKind, Site

from . import selectors
from .models import (
    ONBOARDING_ITEMS,
    AccompanyRequest,
    Onboarding,
    Partnership,
    RequestStatus,
    ShiftStatus,
    ShiftWish,
    Volunteer,
    VolunteerShift,
    VolunteerUnit,
)
from .textcheck import contains_cpr_like

MAX_SHIFT_HOURS = 12
CALL_CHANNELS = [Channel.SMS, Channel.IN_APP]


# --- helpers -------------------------------------------------------------------------------
def _send(users, *, subject: str, body: str, purpose: str, reference: str) -> None:
    """Queue SMS + in-app messages and enqueue their delivery in this transaction."""
    messages = queue_messages(
        recipients=[u for u in users if u is not None],
        channels=CALL_CHANNELS,
        subject=subject,
        body=body,
        purpose=purpose,
        reference=reference,
    )
    if messages:
        deliver_messages.enqueue([m.pk for m in messages])


def _when(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "D j. b H:i")


def _url(name: str, **kwargs) -> str:
    return settings.BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _earlier(model, client_id, *, same_caller) -> object | None:
    """The row a first request with ``client_id`` created (a retry gets it back), or None;
    the id used by someone else or for something else is a conflict."""
    if client_id is None:
        return None
    existing = model.objects.filter(client_id=client_id).first()
    if existing is not None and not same_caller(existing):
        raise Conflict(_("That client_id was already used for something else."),
                       code="client_id_taken", field="client_id")
    return existing


def _double_booked(volunteer) -> Conflict:
    return Conflict(
        _("%(name)s already has a shift at that time.") % {"name": volunteer},
        code="double_booking", field="volunteer_id",
    )


# --- partnership and units -----------------------------------------------------------------
def save_partnership(
    *, by: User, organisation: Organisation, commissioner: Organisation, agreement_from: dt.date,
    agreement_until: dt.date | None = None, candidates: str = "", meetings: str = "",
    decided_by: str = "", decided_on: dt.date | None = None, decision: str = "",
    partnership: Partnership | None = None,
) -> Partnership:
    if organisation.kind != OrganisationKind.VOLUNTEER_ORGANISATION:
        raise ValidationFailed(
            _("The partner must be a volunteer organisation."), code="not_volunteer_organisation",
            field="organisation_id",
        )
    if not (by.is_superuser or organisation.pk in selectors.coordinator_org_ids(by)):
        raise Forbidden()
    if agreement_until and agreement_until < agreement_from:
        raise ValidationFailed(
            _("The agreement cannot end before it starts."), code="period_order",
            field="agreement_until",
        )
    fields = dict(
        organisation=organisation, commissioner=commissioner, agreement_from=agreement_from,
        agreement_until=agreement_until, candidates=candidates, meetings=meetings,
        decided_by=decided_by, decided_on=decided_on, decision=decision,
    )
    with transaction.atomic():
        if partnership is None:
            return Partnership.objects.create(**fields)
        for key, value in fields.items():
            setattr(partnership, key, value)
        partnership.save()
        return partnership


def create_unit(
    *, by: User, organisation: Organisation, site: Site, name: str, notice_hours: int = 48,
    shift_hours: str = "10-14,16-20", place: str = "", leaders=None, contacts=None,
) -> VolunteerUnit:
    if organisation.kind != OrganisationKind.VOLUNTEER_ORGANISATION:
        raise ValidationFailed(
            _("The unit must belong to a volunteer organisation."),
            code="not_volunteer_organisation", field="organisation_id",
        )
    if not (by.is_superuser or organisation.pk in selectors.coordinator_org_ids(by)):
        raise Forbidden()
    parse_shift_hours(shift_hours)
    with transaction.atomic():
        if VolunteerUnit.objects.filter(organisation=organisation, site=site).exists():
            raise Conflict(
                _("The organisation already has a unit at this acute reception."),
                code="unit_exists", field="site_id",
            )
        unit = VolunteerUnit.objects.create(
            organisation=organisation, site=site, name=name, notice_hours=notice_hours,
            shift_hours=shift_hours, place=place,
        )
        _set_people(unit, leaders, contacts)
    return unit


def update_unit(*, by: User, unit: VolunteerUnit, name: str, place: str = "",
                shift_hours: str, notice_hours: int, leaders=None, contacts=None,
                ) -> VolunteerUnit:
    if not selectors.can_manage_unit(by, unit):
        raise Forbidden()
    parse_shift_hours(shift_hours)
    with transaction.atomic():
        unit.name, unit.place, unit.shift_hours, unit.notice_hours = (
            name, place, shift_hours, notice_hours)
        unit.save(update_fields=["name", "place", "shift_hours", "notice_hours"])
        _set_people(unit, leaders, contacts)
    return unit


def parse_shift_hours(value: str) -> list[tuple[int, int]]:
    """``"10-14,16-20"`` → ``[(10, 14), (16, 20)]``."""
    slots = []
    try:
        for part in (value or "").split(","):
            start, end = (int(x) for x in part.strip().split("-"))
            if not (0 <= start < end <= 24):
                raise ValueError
            slots.append((start, end))
    except ValueError:
        raise ValidationFailed(
            _("Write the shifts as start-end hours, e.g. 10-14,16-20."), code="invalid_hours",
            field="shift_hours",
        ) from None
    return slots


def _set_people(unit: VolunteerUnit, leaders, contacts) -> None:
    """Activity leaders and contact persons (None: leave as they are)."""
    if leaders is not None:
        unit.activity_leaders.set(leaders)
    if contacts is not None:
        unit.contact_persons.set(contacts)


# --- volunteers ----------------------------------------------------------------------------
def invite_volunteer(
    *, by: User, unit: VolunteerUnit, first_name: str, last_name: str, email: str,
    phone: str = "", started_on: dt.date, training_done_on: dt.date | None = None,
    availability: str = "",
) -> Volunteer:
    """Create the volunteer as a user with no membership (the least access Beredt has)
    and send a link to choose a password."""
    if not selectors.can_manage_unit(by, unit):
        raise Forbidden()
    email = (email or "").strip().lower()
    if not email:
        raise ValidationFailed(_("An e-mail address is needed."), code="required", field="email")
    with transaction.atomic():
        if User.objects.filter(username=email).exists():
            raise Conflict(
                _("A user with this e-mail address exists already."), code="user_exists",
                field="email",
            )
        user = User(
            username=email, email=email, first_name=first_name, last_name=last_name,
            phone=phone, title=_("Volunteer patient support"),
        )
        user.set_unusable_password()
        user.save()
        volunteer = Volunteer.objects.create(
            user=user, unit=unit, started_on=started_on, training_done_on=training_done_on,
            availability=availability,
        )
        audit.record(action=AuditAction.CREATE, obj=volunteer, actor=by,
                     fields=["name", "email", "phone", "availability"])
        link = _url(
            "volunteers:invitation",
            uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
            token=default_token_generator.make_token(user),
        )
        messages = queue_messages(
            recipients=[user],
            channels=[Channel.EMAIL, Channel.SMS],
            subject=_("Welcome as a patient support in %(unit)s") % {"unit": unit.name},
            body=_("Choose your password for Beredt here: %(link)s — there you see your "
                   "shifts. No care tasks.") % {"link": link},
            purpose="volunteers.invitation",
            reference=f"volunteers.volunteer:{volunteer.pk}",
            all_channels=False,
        )
        if messages:
            deliver_messages.enqueue([m.pk for m in messages])
    return volunteer


def update_volunteer(*, by: User, volunteer: Volunteer, **fields) -> Volunteer:
    if not selectors.can_plan(by, volunteer.unit):
        raise Forbidden()
    allowed = {"training_done_on", "availability", "started_on", "stopped_on"}
    user_fields = {"phone", "first_name", "last_name"}
    with transaction.atomic():
        for key, value in fields.items():
            if key in allowed:
                setattr(volunteer, key, value)
            elif key in user_fields:
                setattr(volunteer.user, key, value)
        if volunteer.stopped_on and volunteer.stopped_on < volunteer.started_on:
            raise ValidationFailed(
                _("A volunteer cannot stop before starting."), code="period_order",
                field="stopped_on",
            )
        volunteer.user.save()
        volunteer.save()
        audit.record(action=AuditAction.UPDATE, obj=volunteer, actor=by, fields=sorted(fields))
    return volunteer


# --- the rota ------------------------------------------------------------------------------
def _check_planner(by: User, unit: VolunteerUnit) -> None:
    if not selectors.can_plan(by, unit):
        raise Forbidden(_("Only the unit's activity leaders plan the rota."), code="not_planner")


def _check_future(shift: VolunteerShift) -> None:
    if shift.ends_at <= timezone.now():
        raise Conflict(_("The shift is over."), code="shift_over")
    if shift.status != ShiftStatus.PLANNED:
        raise Conflict(_("The shift is cancelled."), code="shift_cancelled")


def _check_free(volunteer: Volunteer, starts_at, ends_at, *, exclude_pk=None) -> None:
    """No double booking: the volunteer has no other planned shift overlapping."""
    Volunteer.objects.select_for_update().filter(pk=volunteer.pk).first()
    clash = VolunteerShift.objects.filter(
        volunteer=volunteer, status=ShiftStatus.PLANNED, starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    ).exclude(pk=exclude_pk)
    if clash.exists():
        raise _double_booked(volunteer)


def _check_member(volunteer: Volunteer, unit: VolunteerUnit) -> None:
    if volunteer.unit_id != unit.pk or not volunteer.is_active:
        raise ValidationFailed(
            _("The volunteer is not active in this unit."), code="not_in_unit",
            field="volunteer_id",
        )


def create_shift(
    *, by: User, unit: VolunteerUnit, starts_at: dt.datetime, ends_at: dt.datetime,
    volunteer: Volunteer | None = None, client_id: uuid.UUID | None = None,
) -> tuple[VolunteerShift, bool]:
    _check_planner(by, unit)
    if ends_at <= starts_at:
        raise ValidationFailed(_("The shift must end after it starts."), code="period_order",
                               field="ends_at")
    if ends_at - starts_at > dt.timedelta(hours=MAX_SHIFT_HOURS):
        raise ValidationFailed(
            _("A shift is at most %(n)s hours.") % {"n": MAX_SHIFT_HOURS}, code="shift_too_long",
            field="ends_at",
        )
    def same(shift):
        return shift.unit_id == unit.pk

    with transaction.atomic():
        earlier = _earlier(VolunteerShift, client_id, same_caller=same)
        if earlier is not None:
            return earlier, False
        if volunteer is not None:
            _check_member(volunteer, unit)
            _check_free(volunteer, starts_at, ends_at)
        try:
            with transaction.atomic():
                shift = VolunteerShift.objects.create(
                    unit=unit, starts_at=starts_at, ends_at=ends_at, volunteer=volunteer,
                    client_id=client_id,
                )
        except IntegrityError:
            # A concurrent retry with the same client_id won, or the volunteer was booked
            # at the same start meanwhile (the database constraint).
            earlier = _earlier(VolunteerShift, client_id, same_caller=same)
            if earlier is None:
                raise _double_booked(volunteer) from None
            return earlier, False
    return shift, True


def plan_month(*, by: User, unit: VolunteerUnit, month: dt.date) -> int:
    """Create the unit's usual shifts (open) for every day of the month that has none."""
    _check_planner(by, unit)
    slots = parse_shift_hours(unit.shift_hours)
    day = month.replace(day=1)
    created = 0
    with transaction.atomic():
        existing = {
            timezone.localtime(s).replace(tzinfo=None)
            for s in selectors.month_shifts(unit, day).values_list("starts_at", flat=True)
        }
        rows = []
        while day.month == month.month:
            for start, end in slots:
                starts = dt.datetime.combine(day, dt.time(start))
                if starts in existing:
                    continue
                ends = (dt.datetime.combine(day, dt.time(0)) + dt.timedelta(hours=end))
                rows.append(VolunteerShift(
                    unit=unit, starts_at=timezone.make_aware(starts),
                    ends_at=timezone.make_aware(ends),
                ))
            day += dt.timedelta(days=1)
        created = len(VolunteerShift.objects.bulk_create(rows))
    return created


def _book(shift: VolunteerShift, volunteer: Volunteer, *, only_if_open: bool) -> None:
    _check_free(volunteer, shift.starts_at, shift.ends_at, exclude_pk=shift.pk)
    qs = VolunteerShift.objects.filter(pk=shift.pk, status=ShiftStatus.PLANNED)
    if only_if_open:
        qs = qs.filter(volunteer__isnull=True)
    try:
        with transaction.atomic():
            updated = qs.update(volunteer=volunteer)
    except IntegrityError:
        raise _double_booked(volunteer) from None
    if not updated:
        raise Conflict(_("Someone else took the shift first."), code="shift_taken")
    shift.volunteer = volunteer


def assign_shift(*, by: User, shift: VolunteerShift, volunteer: Volunteer) -> VolunteerShift:
    """The activity leader puts a volunteer on a shift (open or not)."""
    _check_planner(by, shift.unit)
    _check_future(shift)
    _check_member(volunteer, shift.unit)
    with transaction.atomic():
        previous = shift.volunteer
        _book(shift, volunteer, only_if_open=False)
        ShiftWish.objects.filter(shift=shift).delete()
        _send(
            [volunteer.user], subject=_("New shift"),
            body=_("You are on shift in %(unit)s %(when)s. No care tasks.")
            % {"unit": shift.unit.name, "when": _when(shift.starts_at)},
            purpose="volunteers.assigned", reference=f"volunteers.shift:{shift.pk}",
        )
        if previous and previous.pk != volunteer.pk:
            shift.swapped_from = previous
            shift.save(update_fields=["swapped_from"])
    return shift


def _own_volunteer(by: User, shift: VolunteerShift) -> Volunteer:
    volunteer = selectors.volunteer_of(by)
    if volunteer is None or volunteer.unit_id != shift.unit_id:
        raise Forbidden(_("Only the unit's volunteers can do this."), code="not_volunteer")
    return volunteer


def take_shift(*, by: User, shift: VolunteerShift) -> VolunteerShift:
    """A volunteer takes an open shift (first come, first served)."""
    volunteer = _own_volunteer(by, shift)
    _check_future(shift)
    with transaction.atomic():
        _book(shift, volunteer, only_if_open=True)
        ShiftWish.objects.filter(shift=shift).delete()
    return shift


def wish_shift(*, by: User, shift: VolunteerShift, wish: bool = True) -> bool:
    """A volunteer states (or withdraws) a wish for an open shift; the leader assigns."""
    volunteer = _own_volunteer(by, shift)
    _check_future(shift)
    if not shift.is_open:
        raise Conflict(_("The shift is already taken."), code="shift_taken")
    with transaction.atomic():
        if wish:
            ShiftWish.objects.get_or_create(shift=shift, volunteer=volunteer)
        else:
            ShiftWish.objects.filter(shift=shift, volunteer=volunteer).delete()
    return wish


def swap_shift(*, by: User, shift: VolunteerShift, to: Volunteer) -> VolunteerShift:
    """Hand the shift to another volunteer of the unit (the holder or a leader)."""
    holder = shift.volunteer
    if holder is None:
        raise Conflict(_("An open shift cannot be swapped; assign it."), code="shift_open")
    if not (selectors.can_plan(by, shift.unit) or holder.user_id == by.pk):
        raise Forbidden()
    _check_future(shift)
    _check_member(to, shift.unit)
    if to.pk == holder.pk:
        raise ValidationFailed(_("Choose another volunteer."), code="same_volunteer",
                               field="volunteer_id")
    with transaction.atomic():
        _book(shift, to, only_if_open=False)
        shift.swapped_from = holder
        shift.save(update_fields=["swapped_from"])
        _send(
            [to.user], subject=_("Shift swapped to you"),
            body=_("%(from)s has handed you the shift in %(unit)s %(when)s. No care tasks.")
            % {"from": holder, "unit": shift.unit.name, "when": _when(shift.starts_at)},
            purpose="volunteers.swapped", reference=f"volunteers.shift:{shift.pk}",
        )
    return shift


def cancel_shift(*, by: User, shift: VolunteerShift) -> tuple[VolunteerShift, bool]:
    """The holder cancels: the shift becomes open again; inside the unit's notice period
    the activity leaders are alerted at once. A leader cancelling removes the shift from
    the rota. Returns ``(shift, late)``."""
    _check_future(shift)
    holder = shift.volunteer
    own = holder is not None and holder.user_id == by.pk
    if not own and not selectors.can_plan(by, shift.unit):
        raise Forbidden()
    late = shift.starts_at - timezone.now() < dt.timedelta(hours=shift.unit.notice_hours)
    with transaction.atomic():
        if own:
            shift.volunteer = None
            shift.swapped_from = None
            if late:
                shift.late_cancellations += 1
            shift.save(update_fields=["volunteer", "swapped_from", "late_cancellations"])
            if late:
                _send(
                    shift.unit.activity_leaders.filter(is_active=True),
                    subject=_("Late cancellation"),
                    body=_("%(name)s has cancelled the shift in %(unit)s %(when)s, inside the "
                           "notice of %(hours)s hours. The shift is open now.")
                    % {"name": holder, "unit": shift.unit.name, "when": _when(shift.starts_at),
                       "hours": shift.unit.notice_hours},
                    purpose="volunteers.late_cancellation",
                    reference=f"volunteers.shift:{shift.pk}",
                )
        else:
            shift.status = ShiftStatus.CANCELLED
            shift.save(update_fields=["status"])
            if holder is not None:
                _send(
                    [holder.user], subject=_("Shift cancelled"),
                    body=_("The shift in %(unit)s %(when)s is cancelled by the activity leader.")
                    % {"unit": shift.unit.name, "when": _when(shift.starts_at)},
                    purpose="volunteers.cancelled", reference=f"volunteers.shift:{shift.pk}",
                )
    return shift, late and own


def send_reminders(*, now: dt.datetime | None = None) -> int:
    """Remind every volunteer of tomorrow's shifts (local date), once per shift."""
    now = timezone.localtime(now or timezone.now())
    tomorrow = (now + dt.timedelta(days=1)).date()
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(0)))
    end = start + dt.timedelta(days=1)
    count = 0
    with transaction.atomic():
        shifts = list(
            VolunteerShift.objects.select_for_update(of=("self",))
            .filter(status=ShiftStatus.PLANNED, volunteer__isnull=False,
                    volunteer__stopped_on__isnull=True, reminded_at__isnull=True,
                    starts_at__gte=start, starts_at__lt=end)
            .select_related("unit", "volunteer__user")
        )
        for shift in shifts:
            _send(
                [shift.volunteer.user], subject=_("Shift tomorrow"),
                body=_("Reminder: shift in %(unit)s %(when)s–%(end)s. Meet at: %(place)s. "
                       "No care tasks.")
                % {"unit": shift.unit.name, "when": _when(shift.starts_at),
                   "end": formats.time_format(timezone.localtime(shift.ends_at), "H:i"),
                   "place": shift.unit.place or shift.unit.site.name},
                purpose="volunteers.reminder", reference=f"volunteers.shift:{shift.pk}",
            )
            shift.reminded_at = timezone.now()
            count += 1
        VolunteerShift.objects.bulk_update(shifts, ["reminded_at"])
    return count


# --- "Ring til patientstøtten" -------------------------------------------------------------
def nobody_message(unit: VolunteerUnit, at: dt.datetime) -> str:
    nxt = selectors.next_covered_shift(unit, at)
    if nxt is None:
        return _("No patient support is on shift now, and no later shift is planned.")
    return _("No patient support is on shift now. The next shift starts %(when)s "
             "(%(name)s).") % {"when": _when(nxt.starts_at), "name": nxt.volunteer}


def create_request(
    *, by: User, unit: VolunteerUnit, place: str, without_relative: bool,
    needed_at: dt.datetime | None = None, note: str = "", client_id: uuid.UUID | None = None,
) -> tuple[AccompanyRequest, bool]:
    """Call the volunteer on shift: one SMS and in-app message with only where and when."""
    if not selectors.can_call(by, unit):
        raise Forbidden(_("Only the acute reception's staff can call the patient support."),
                        code="not_staff")
    place = (place or "").strip()
    if not place:
        raise ValidationFailed(_("Say where the patient support should come."),
                               code="required", field="place")
    for field, text in (("place", place), ("note", note)):
        if contains_cpr_like(text):
            raise ValidationFailed(
                _("Do not write a CPR number or other patient data in the request."),
                code="patient_data", field=field,
            )
    earlier = _earlier(AccompanyRequest, client_id, same_caller=lambda r: r.asked_by_id == by.pk)
    if earlier is not None:
        return earlier, False
    now = timezone.now()
    needed_at = needed_at or now
    if needed_at < now - dt.timedelta(minutes=5):
        raise ValidationFailed(_("The time has passed."), code="in_the_past", field="needed_at")
    with transaction.atomic():
        shift = selectors.on_duty(unit, max(needed_at, now)).order_by("starts_at").first()
        if shift is None:
            raise Conflict(nobody_message(unit, now), code="nobody_on_shift")
        request = AccompanyRequest.objects.create(
            client_id=client_id, shift=shift, asked_by=by, needed_at=needed_at, place=place,
            without_relative=without_relative, note=note.strip(),
        )
        _send(
            [shift.volunteer.user], subject=_("Patient support wanted"),
            body=_("Please come to %(place)s at %(time)s to accompany a patient. "
                   "No care tasks. Answer: %(link)s")
            % {"place": place,
               "time": formats.time_format(timezone.localtime(needed_at), "H:i"),
               "link": _url("volunteers:request", request_id=request.pk)},
            purpose="volunteers.call", reference=f"volunteers.request:{request.pk}",
        )
    return request, True


def answer_request(*, by: User, request: AccompanyRequest, accept: bool) -> AccompanyRequest:
    if request.shift.volunteer is None or request.shift.volunteer.user_id != by.pk:
        raise Forbidden(_("Only the volunteer on shift can answer."), code="not_on_shift")
    with transaction.atomic():
        updated = AccompanyRequest.objects.filter(
            pk=request.pk, status=RequestStatus.SENT
        ).update(
            status=RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED,
            answered_at=timezone.now(),
        )
        if not updated:
            raise Conflict(_("The request is already answered."), code="already_answered")
        request.refresh_from_db()
        queue = queue_messages(
            recipients=[request.asked_by], channels=[Channel.IN_APP],
            subject=_("Patient support: %(answer)s") % {"answer": request.get_status_display()},
            body=_("%(name)s answered the request for %(place)s: %(answer)s")
            % {"name": request.shift.volunteer, "place": request.place,
               "answer": request.get_status_display()},
            purpose="volunteers.answer", reference=f"volunteers.request:{request.pk}",
        )
        if queue:
            deliver_messages.enqueue([m.pk for m in queue])
    return request


# --- onboarding ----------------------------------------------------------------------------
def sign_onboarding(
    *, by: User, volunteer: Volunteer, items: list[str], shift: VolunteerShift | None = None,
) -> Onboarding:
    """The department's contact person signs the first-shift checklist (every item)."""
    if not selectors.is_contact_person(by, volunteer.unit):
        raise Forbidden(_("Only the department's contact person signs the onboarding."),
                        code="not_contact_person")
    keys = [k for k, _label in ONBOARDING_ITEMS]
    unknown = set(items) - set(keys)
    if unknown:
        raise ValidationFailed(_("Unknown checklist item."), code="invalid", field="items")
    if set(items) != set(keys):
        raise ValidationFailed(
            _("Every item of the checklist must be gone through before signing."),
            code="onboarding_incomplete", field="items",
        )
    if shift is not None and shift.volunteer_id != volunteer.pk:
        raise ValidationFailed(_("That is not the volunteer's shift."), code="invalid",
                               field="shift_id")
    with transaction.atomic():
        if Onboarding.objects.filter(volunteer=volunteer).exists():
            raise Conflict(_("The onboarding is already signed."), code="already_signed")
        onboarding = Onboarding.objects.create(
            volunteer=volunteer, shift=shift, items=keys, signed_by=by
        )
    return onboarding


def get_unit(user, unit_id: int) -> VolunteerUnit:
    unit = selectors.units_visible_to(user).filter(pk=unit_id).first()
    if unit is None:
        raise NotFound()
    return unit
