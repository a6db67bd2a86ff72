from django.utils.translation import gettext_lazy as _

from beredt.core.apps import BeredtAppConfig


class PublicConfig(BeredtAppConfig):
    name = "beredt.public"
    label = "public"
    verbose_name = _("Public site")
    # Own paths: /hjaelp/<lang>/… (public), /public-pages/…, /self-registrations/… (staff).
    url_prefix = ""
    api_prefix = "/public"

    def ready(self) -> None:
        from beredt.registry.hooks import register_purge_hook

        from .services import purge_expired_self_registrations

        register_purge_hook(purge_expired_self_registrations)

    def nav_items(self, request):
        from django.urls import reverse

        from . import selectors

        if not selectors.queue_incidents_for(request.user).exists():
            return []
        count = selectors.pending_count(request.user)
        label = _("Self-registrations")
        # The menu template reads .label and .url.
        return [{"label": f"{label} ({count})" if count else label,
                 "url": reverse("public:queue")}]

    def incident_panels(self, request, incident):
        from django.urls import reverse

        from . import selectors

        page = selectors.page_of(incident)
        can_edit = selectors.can_edit_page(request.user, incident)
        sees_queue = selectors.queue_incidents_for(request.user).filter(pk=incident.pk).exists()
        if not (page or can_edit or sees_queue):
            return []
        return [{"template": "public/_incident_panel.html", "context": {
            "page": page, "can_edit": can_edit, "incident_id": incident.pk,
            "pending": selectors.pending_for(request.user, incident).count() if sees_queue
            else None,
            "public_url": reverse("public:incident", kwargs={"lang": "da", "slug": page.slug})
            if page else "",
        }}]

    def load_demo(self, *, stdout):
        from .demo import load

        load(stdout=stdout)
