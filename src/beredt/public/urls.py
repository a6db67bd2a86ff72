"""The public site lives under /hjaelp/<lang>/ (no login); the staff pages for incident
pages and the self-registration queue under /public-pages/ and /self-registrations/."""

from django.urls import path, register_converter

from . import content, staff_views, views


class LanguageConverter:
    regex = "|".join(content.LANGUAGES)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LanguageConverter, "publang")

app_name = "public"
urlpatterns = [
    path("hjaelp/", views.root, name="root"),
    path("hjaelp/<publang:lang>/", views.index, name="index"),
    path("hjaelp/<publang:lang>/kommune/", views.choose_municipality, name="choose_municipality"),
    path("hjaelp/<publang:lang>/kommune/<int:code>/", views.municipality_help,
         name="municipality"),
    path("hjaelp/<publang:lang>/h/<slug:slug>/", views.incident_page, name="incident"),
    path("hjaelp/<publang:lang>/h/<slug:slug>/tak/", views.thanks, name="thanks"),
    path("hjaelp/<publang:lang>/<slug:topic>/", views.topic, name="topic"),
    # Staff (login)
    path("public-pages/leaflet.pdf", staff_views.leaflet_pdf, name="leaflet"),
    path("public-pages/<uuid:incident_id>/", staff_views.edit_page, name="edit_page"),
    path("self-registrations/", staff_views.queue, name="queue"),
    path("self-registrations/<uuid:item_id>/", staff_views.decide, name="decide"),
]
