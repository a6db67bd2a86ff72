"""``{% when moment reference %}``: "today 15:00", "tomorrow 08:00", "Monday 4 January 08:00"."""

from datetime import timedelta

from django import template
from django.utils import formats
from django.utils.translation import gettext as _

from beredt.directory.hours import TZ

register = template.Library()


@register.simple_tag
def when(moment, reference):
    if moment is None:
        return ""
    moment, reference = moment.astimezone(TZ), reference.astimezone(TZ)
    clock = f"{moment:%H:%M}"
    if moment.date() == reference.date():
        return _("today at %(t)s") % {"t": clock}
    if moment.date() == reference.date() + timedelta(days=1):
        return _("tomorrow at %(t)s") % {"t": clock}
    day = formats.date_format(moment, "l j. F") if moment.year == reference.year \
        else formats.date_format(moment, "l j. F Y")
    return _("%(day)s at %(t)s") % {"day": day, "t": clock}


@register.filter
def tel(number: str) -> str:
    digits = "".join(ch for ch in number or "" if ch.isdigit() or ch == "+")
    return f"+45{digits}" if len(digits) == 8 else digits
