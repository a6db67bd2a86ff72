"""A volunteer's shifts as an iCalendar feed (RFC 5545, ``icalendar``), after the roster
feed of :mod:`beredt.activation.ical`: the signed token in the URL is the credential,
because calendar apps cannot log in. Its own salt, so a roster token does not open it."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import NO_CARE_TASKS, Volunteer

SALT = "beredt.volunteers.ical"


def token_for(volunteer: Volunteer) -> str:
    return signing.dumps(volunteer.pk, salt=SALT)


def volunteer_for(token: str) -> Volunteer | None:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return (
        Volunteer.objects.select_related("user", "unit", "unit__site")
        .filter(pk=pk, user__is_active=True, stopped_on__isnull=True)
        .first()
    )


def calendar(volunteer: Volunteer, shifts) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Beredt//Patientstøtte//DA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"{_('Patient support')} – {volunteer.unit.name}")
    host = settings.BASE_URL.split("//")[-1].split("/")[0] or "beredt"
    for shift in shifts:
        event = Event()
        event.add("uid", f"volunteer-shift-{shift.pk}@{host}")
        event.add("dtstart", shift.starts_at)
        event.add("dtend", shift.ends_at)
        event.add("dtstamp", shift.created_at)
        event.add("summary", f"{_('Patient support')} – {shift.unit.name}")
        event.add("location", shift.unit.place or shift.unit.site.name)
        event.add("description", str(NO_CARE_TASKS))
        cal.add_component(event)
    return cal.to_ical()
