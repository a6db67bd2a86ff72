"""Forms for the tablet registration page, consents, CPR reveal and bulk import.

Field order follows the conversation at the scene or in the EPC: who are you in this, your
name, CPR (fills the birth date), how do we reach you, where do you live (postcode fills the
municipality), language, how are you, consent.
"""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from beredt.geo.models import Municipality

from .models import (
    Channel,
    ConsentGiver,
    ConsentKind,
    ConsentMethod,
    Need,
    PersonRole,
    PointKind,
    Relation,
    Residence,
)

BIG = {"class": "big"}


class PointField(forms.ChoiceField):
    """An existing registration point, or ``new:<kind>`` (created on save). ``new:`` stays
    valid after the point exists, so a resubmitted form (double tap) still validates."""

    def valid_value(self, value):
        return super().valid_value(value) or value in {f"new:{k}" for k in PointKind.values}


def point_choices(points):
    return [
        *[(str(p.pk), p.name) for p in points],
        *[(f"new:{k}", _("New: %(kind)s") % {"kind": label})
          for k, label in PointKind.choices if not any(p.kind == k for p in points)],
    ]


class RegistrationForm(forms.Form):
    client_id = forms.UUIDField(widget=forms.HiddenInput)
    point = PointField(label=_("Registration point"))
    role = forms.ChoiceField(label=_("Role in the event"), choices=PersonRole.choices,
                             widget=forms.RadioSelect(attrs={"class": "pills"}))
    full_name = forms.CharField(label=_("Full name"), max_length=200,
                                widget=forms.TextInput(attrs={"autocomplete": "off", **BIG}))
    cpr = forms.CharField(
        label=_("CPR number"), max_length=11, required=False,
        help_text=_("Optional. Fills in the birth date."),
        widget=forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "off", "placeholder": "DDMMÅÅ-XXXX",
            "hx-post": "", "hx-trigger": "input changed delay:300ms, change",
            "hx-target": "#birth-date-field", "hx-swap": "outerHTML", **BIG}))
    birth_date = forms.DateField(label=_("Birth date"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"},
                                                        format="%Y-%m-%d"))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "type": "tel",
                                                          **BIG}))
    email = forms.CharField(label=_("E-mail"), max_length=200, required=False,
                            widget=forms.EmailInput(attrs={"inputmode": "email"}))
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    postcode = forms.CharField(
        label=_("Postcode"), max_length=4, required=False,
        widget=forms.TextInput(attrs={
            "inputmode": "numeric", "autocomplete": "off", "maxlength": "4", "hx-get": "",
            "hx-trigger": "input changed delay:250ms, change", "hx-target":
            "#municipality-field", "hx-swap": "outerHTML", **BIG}))
    residence_municipality_code = forms.TypedChoiceField(
        label=_("Residence municipality"), coerce=int, empty_value=None, required=False)
    residence = forms.ChoiceField(label=_("Residence"), choices=Residence.choices,
                                  initial=Residence.MUNICIPALITY,
                                  widget=forms.RadioSelect(attrs={"class": "pills"}))
    preferred_language = forms.CharField(label=_("Preferred language"), max_length=35,
                                         initial="da")
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    need = forms.ChoiceField(label=_("Crisis reactions and need"), choices=Need.choices,
                             widget=forms.RadioSelect(attrs={"class": "pills"}),
                             initial=Need.NONE)
    reactions = forms.CharField(label=_("Observed crisis reactions"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    relation = forms.ChoiceField(label=_("Relation to another registration"), required=False,
                                 choices=[("", "–"), *Relation.choices])
    related_to_id = forms.ChoiceField(label=_("Related registration"), required=False)
    note = forms.CharField(label=_("Restricted note"), required=False,
                           help_text=_("Seen only by the incident's lead/KOP and by you."),
                           widget=forms.Textarea(attrs={"rows": 2}))
    paper_form_number = forms.CharField(label=_("Paper form number"), max_length=40,
                                        required=False)
    consent_registration = forms.BooleanField(
        label=_("Consents to registration"), required=False)
    followup_channels = forms.MultipleChoiceField(
        label=_("Consents to follow-up contact through"), required=False,
        choices=Channel.choices, widget=forms.CheckboxSelectMultiple(attrs={"class": "pills"}))
    consent_method = forms.ChoiceField(label=_("Consent given"), choices=ConsentMethod.choices,
                                       initial=ConsentMethod.VERBAL_WITNESSED)
    witness = forms.CharField(label=_("Witness"), max_length=200, required=False)
    given_by = forms.ChoiceField(label=_("Consent given by"), choices=ConsentGiver.choices,
                                 initial=ConsentGiver.PERSON)
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200, required=False)

    def __init__(self, *args, points, relatives=(), cpr_url="", postcode_url="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = point_choices(points)
        self.fields["residence_municipality_code"].choices = [
            ("", "–"), *[(m.code, m.name) for m in Municipality.objects.all()]]
        self.fields["related_to_id"].choices = [("", "–"), *relatives]
        self.fields["cpr"].widget.attrs["hx-post"] = cpr_url
        self.fields["postcode"].widget.attrs["hx-get"] = postcode_url
        if not self.is_bound:
            self.initial.setdefault("client_id", uuid.uuid4())

    def consents(self) -> list[dict]:
        d = self.cleaned_data
        base = {"method": d["consent_method"], "witness": d["witness"],
                "given_by": d["given_by"], "guardian_name": d["guardian_name"],
                "paper_form_number": d["paper_form_number"]}
        out = []
        if d["consent_registration"]:
            out.append({**base, "kind": ConsentKind.REGISTRATION})
        if d["followup_channels"]:
            out.append({**base, "kind": ConsentKind.FOLLOWUP,
                        "channels": d["followup_channels"]})
        return out

    def person(self) -> dict:
        d = self.cleaned_data
        keys = ("role", "full_name", "cpr", "birth_date", "phone", "email", "address",
                "postcode", "residence", "residence_municipality_code", "preferred_language",
                "interpreter_needed", "need", "reactions", "relation", "related_to_id", "note",
                "paper_form_number")
        return {k: d.get(k) for k in keys}


class ConsentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Consent to"), choices=ConsentKind.choices)
    channels = forms.MultipleChoiceField(label=_("Channels"), choices=Channel.choices,
                                         required=False,
                                         widget=forms.CheckboxSelectMultiple)
    shared_with = forms.CharField(label=_("Authorities shared with"), max_length=300,
                                  required=False)
    method = forms.ChoiceField(label=_("How it was given"), choices=ConsentMethod.choices)
    witness = forms.CharField(label=_("Witness"), max_length=200, required=False)
    given_by = forms.ChoiceField(label=_("Given by"), choices=ConsentGiver.choices)
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ImportForm(forms.Form):
    point = PointField(label=_("Registration point"))
    file = forms.FileField(label=_("CSV or XLSX file"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}))

    def __init__(self, *args, points, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["point"].choices = point_choices(points)
