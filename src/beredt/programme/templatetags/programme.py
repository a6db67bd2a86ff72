from django import template

register = template.Library()


@register.filter
def hhmm(minutes) -> str:
    """Minutes as hours:minutes (``1950`` → ``32:30``)."""
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        return ""
    return f"{minutes // 60}:{minutes % 60:02d}"
