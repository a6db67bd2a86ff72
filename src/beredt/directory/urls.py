"""Mounted at the site root (``url_prefix = ""``): the public page has a Danish address."""

from django.urls import path

from . import views

app_name = "directory"
urlpatterns = [
    path("hvem-kan-hjaelpe/", views.help_now, name="help_now"),
    path("directory/", views.catalogue, name="catalogue"),
    path("directory/import/", views.csv_import, name="import"),
    path("directory/kontaktark/", views.contact_sheet_pick, name="sheet_pick"),
    path("directory/kontaktark/<int:code>/", views.contact_sheet, name="sheet"),
    path("directory/<uuid:service_id>/", views.service_detail, name="detail"),
]
