"""On-call shifts as an iCalendar feed per person (RFC 5545, built with ``icalendar``)."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from icalendar import Calendar, Event

from beredt.accounts.models import User

SALT = "beredt.activation.ical"


def token_for(user) -> str:
    return signing.dumps(user.pk, salt=SALT)


def user_for(token: str) -> User | None:
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


def calendar(user, shifts) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Beredt//Vagtplan//DA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"Beredt – {user.display_name}")
    host = settings.BASE_URL.split("//")[-1].split("/")[0] or "beredt"
    for shift in shifts:
        event = Event()
        event.add("uid", f"shift-{shift.pk}@{host}")
        event.add("dtstart", shift.starts_at)
        event.add("dtend", shift.ends_at)
        event.add("dtstamp", shift.created_at)
        event.add(
            "summary",
            f"{shift.get_duty_role_display()} – "
            f"{shift.organisation.short_name or shift.organisation.name}",
        )
        where = shift.site.name if shift.site else shift.organisation.name
        event.add("location", where)
        if shift.note:
            event.add("description", shift.note)
        cal.add_component(event)
    return cal.to_ical()
