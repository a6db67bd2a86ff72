from beredt.core.apps import collect
from beredt.organisations.selectors import can_read_audit_log


def _nav_item(item) -> dict:
    """Apps return ``(label, url)`` tuples or ``{"label", "url"}`` dicts (optionally with a
    ``badge`` count and its ``badge_title``)."""
    if isinstance(item, dict):
        keys = ("label", "url", "badge", "badge_title")
        return {key: item[key] for key in keys if key in item}
    label, url = item
    return {"label": label, "url": url}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": [_nav_item(i) for i in collect("nav_items", request)],
        "can_read_audit_log": can_read_audit_log(user),
    }
