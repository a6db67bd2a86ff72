from django import template
from django.apps import apps

from beredt.core import cpr

register = template.Library()


@register.filter
def startswith(value, prefix) -> bool:
    return bool(prefix) and str(value).startswith(str(prefix)) and prefix != "/"


@register.filter
def masked_cpr(value) -> str:
    """Show a CPR number as ``010190-****``."""
    return cpr.mask(value) if value else ""


@register.filter
def object_label(label: str) -> str:
    """``"accounts.user"`` → the model's verbose name in the user's language."""
    try:
        return str(apps.get_model(label)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return label
