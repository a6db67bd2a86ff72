from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.home, name="home"),
    path("checklists/", views.checklists, name="checklists"),
    path("guide/", views.guide, name="guide"),
    path("guide/<uuid:registration_id>/", views.guide, name="guide_for"),
    path("notes/<uuid:note_id>/", views.note, name="note"),
    path("reference/<slug:slug>/", views.reference, name="reference"),
    path("quiz/<slug:role>/", views.quiz, name="quiz"),
    path("training/", views.training, name="training"),
    path("print/", views.printables, name="print"),
    path("print/contact-sheet.pdf", views.contact_sheet_pdf, name="contact_sheet"),
]
