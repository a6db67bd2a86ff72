from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class NotifyConfig(BeredtAppConfig):
    name = "beredt.notify"
    label = "notify"
    verbose_name = _("Notifications")
    api_prefix = "/notify"
    url_prefix = "notify/"

    def nav_items(self, request):
        from django.urls import reverse

        from . import selectors

        if request.user.is_authenticated:
            unread = selectors.unread_count(request.user)
            return [
                {
                    "label": _("Inbox"),
                    "url": reverse("notify:inbox"),
                    "badge": unread,
                    "badge_title": _("unread"),
                }
            ]
        return []
