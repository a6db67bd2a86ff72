"""Forms of the programme's pages. They only parse; the services validate the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beredt.geo.models import Municipality

from .models import (
    ConsentMethod,
    ConsentPurpose,
    ContactOption,
    Criterion,
    HelperKind,
    HourKind,
    LetterKind,
    Outcome,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def add_domain_error(form: forms.Form, exc) -> None:
    field = (exc.field or "").split(".")[0]
    form.add_error(field if field in form.fields else None, str(exc.message))


class ReferralForm(forms.Form):
    referring_organisation = forms.ModelChoiceField(queryset=None, label=_("Department"))
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.order_by("name"), label=_("The patient's municipality"),
        to_field_name="code")
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    cpr = forms.CharField(label=_("CPR number"), max_length=11,
                          widget=forms.TextInput(attrs={"autocomplete": "off",
                                                        "inputmode": "numeric"}))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)
    gp = forms.CharField(label=_("GP (name and clinic)"), max_length=300, required=False)
    admitted_on = forms.DateField(label=_("Admitted"), widget=DATE)
    admission_number = forms.IntegerField(label=_("Acute admission no."), min_value=1,
                                          max_value=99, initial=2)
    note = forms.CharField(label=_("Social problems seen by the hospital"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))
    consents = forms.MultipleChoiceField(
        label=_("The patient consents to"), choices=ConsentPurpose.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    consent_method = forms.ChoiceField(label=_("How the consent was given"),
                                       choices=ConsentMethod.choices,
                                       initial=ConsentMethod.VERBAL_WITNESSED)
    witness = forms.CharField(label=_("Witness"), max_length=200, required=False)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referring_organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["referring_organisation"].initial = organisations.first()
        for criterion in Criterion:
            self.fields[f"c_{criterion.value}"] = forms.ChoiceField(
                label=criterion.label, choices=YES_NO, widget=forms.RadioSelect)
        self.order_fields([*self.fields.keys()][:9] + [f"c_{c.value}" for c in Criterion])

    @property
    def criterion_fields(self):
        return [self[f"c_{c.value}"] for c in Criterion]

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        return {
            "referring_organisation_id": d["referring_organisation"].pk,
            "municipality_code": d["municipality"].code, "full_name": d["full_name"],
            "cpr": d["cpr"], "phone": d["phone"], "gp": d["gp"],
            "admitted_on": d["admitted_on"], "admission_number": d["admission_number"],
            "note": d["note"],
            "eligibility": {c.value: d[f"c_{c.value}"] == "yes" for c in Criterion},
            "consents": [{"purpose": p, "method": d["consent_method"], "witness": d["witness"]}
                         for p in d["consents"]],
        }


class CallForm(forms.Form):
    number = forms.CharField(label=_("Number called"), max_length=30)
    line_name = forms.CharField(label=_("Line"), max_length=200, required=False)
    patient_present = forms.BooleanField(label=_("The patient took part in the call"),
                                         required=False, initial=True)
    agreed = forms.CharField(label=_("What was agreed about the next contact"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class PhaseForm(forms.Form):
    contact_option = forms.ChoiceField(label=_("Agreed with the citizen"),
                                       choices=[("", "—"), *ContactOption.choices],
                                       required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class TeamForm(forms.Form):
    skp = forms.ModelChoiceField(queryset=None, required=False,
                                 label=_("Support contact person (SKP)"))
    caseworker = forms.ModelChoiceField(queryset=None, required=False,
                                        label=_("Authority caseworker"))

    def __init__(self, *args, skps, caseworkers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skp"].queryset = skps
        self.fields["caseworker"].queryset = caseworkers


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(label=_("Consent to"), choices=ConsentPurpose.choices)
    method = forms.ChoiceField(label=_("How it was given"), choices=ConsentMethod.choices)
    witness = forms.CharField(label=_("Witness"), max_length=200, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=1000)


class ContractForm(forms.Form):
    start_date = forms.DateField(label=_("The contract starts"), widget=DATE)
    goals = forms.CharField(label=_("Goals (one per line)"),
                            widget=forms.Textarea(attrs={"rows": 3}), required=False)
    actions = forms.CharField(label=_("Actions (one per line)"),
                              widget=forms.Textarea(attrs={"rows": 3}), required=False)
    expectations = forms.CharField(label=_("Expectations"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    responsibilities = forms.CharField(
        label=_("Who does what (one per line: who: what)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}))
    priorities = forms.CharField(label=_("The citizen's priorities, most important first "
                                         "(one per line)"),
                                 widget=forms.Textarea(attrs={"rows": 3}), required=False)
    other_helpers = forms.CharField(label=_("Agreements with other helpers"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    consent_note = forms.CharField(label=_("Consent given"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))
    signed_citizen_on = forms.DateField(label=_("Signed by the citizen"), widget=DATE,
                                        required=False)
    signed_skp_on = forms.DateField(label=_("Signed by the SKP"), widget=DATE, required=False)

    @staticmethod
    def initial_from(data: dict) -> dict:
        out = dict(data)
        for key in ("goals", "actions", "priorities"):
            out[key] = "\n".join(data.get(key, []))
        out["responsibilities"] = "\n".join(f"{r['who']}: {r['what']}"
                                            for r in data.get("responsibilities", []))
        return out

    def data_for_service(self) -> dict:
        d = dict(self.cleaned_data)
        for key in ("goals", "actions", "priorities"):
            d[key] = lines(d[key])
        rows = []
        for line in lines(d["responsibilities"]):
            who, _sep, what = line.partition(":")
            rows.append({"who": who.strip(), "what": what.strip()})
        d["responsibilities"] = rows
        for key in ("signed_citizen_on", "signed_skp_on"):
            d[key] = d[key].isoformat() if d[key] else ""
        return d


def _text_area(label, rows=2):
    return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": rows}))


class CrisisPlanForm(forms.Form):
    """Bilag 2: the conversation in the acute offer and its three phases."""

    wants_from_talk = _text_area(_("What does the citizen want from the talk"))
    background = _text_area(_("What is the background of the crisis"))
    wish = _text_area(_("What does the citizen wish"))
    hinders = _text_area(_("What keeps the citizen from getting through the crisis"))
    vulnerability = _text_area(_("The present vulnerability"))
    shared_focus = _text_area(_("What is our shared focus"))
    zoom_in = _text_area(_("Zoom in on the problem"))
    plan = _text_area(_("Make a plan"), 3)
    phase1_safety = _text_area(_("Phase 1 The crisis: safety, relation, alliance"), 3)
    phase2_health = _text_area(_("Phase 2 Health and feelings: the citizen's situation"), 3)
    phase3_ending = _text_area(_("Phase 3 Ending, when safety and calm are established"), 3)
    may_contact_again = forms.BooleanField(label=_("May a colleague contact the citizen "
                                                   "again?"), required=False)

    def data_for_service(self) -> dict:
        return dict(self.cleaned_data)


class RelapsePlanForm(forms.Form):
    """Bilag 3: results so far, warning signs, high-risk situations, good things to do."""

    changed = _text_area(_("What have you changed from the start of the programme until now?"))
    keep_using = _text_area(_("How can you keep using these skills in daily life?"))
    hold_on = _text_area(_("How can you plan to hold on to the changes?"))
    obstacles = _text_area(_("Which obstacles will come up?"))
    tackle = _text_area(_("How can you tackle these obstacles?"))
    warning_inner = _text_area(_("Early warning signs, inner (that I can feel)"))
    warning_outer = _text_area(_("Early warning signs, outer (that I and others can notice)"))
    high_risk = _text_area(_("Possible high-risk situations for a relapse"))
    good_things = _text_area(_("The good things to do in the future (one per line)"), 3)

    @staticmethod
    def initial_from(data: dict) -> dict:
        return {**data, "good_things": "\n".join(data.get("good_things", []))}

    def data_for_service(self) -> dict:
        return {**self.cleaned_data, "good_things": lines(self.cleaned_data["good_things"])}


class HoursForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    minutes = forms.IntegerField(label=_("Minutes"), min_value=1, max_value=1440)
    kind = forms.ChoiceField(label=_("Kind"), choices=HourKind.choices)
    note = forms.CharField(label=_("Note"), max_length=1000, required=False)


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Time"), widget=forms.DateTimeInput(
        attrs={"type": "datetime-local"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    participants = forms.CharField(
        label=_("Participants (one per line: name; role; organisation)"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}))
    caseworker_invited = forms.BooleanField(label=_("The authority caseworker was invited"),
                                            required=False)
    minutes_text = _text_area(_("Minutes"), 3)
    decisions = _text_area(_("Decisions"))
    extra_hours = forms.DecimalField(label=_("Extra hours granted"), min_value=0, max_value=40,
                                     decimal_places=1, required=False, initial=0)

    def data_for_service(self) -> dict:
        d = dict(self.cleaned_data)
        people = []
        for line in lines(d.pop("participants")):
            parts = [p.strip() for p in line.split(";")] + ["", ""]
            people.append({"name": parts[0], "role": parts[1], "organisation": parts[2]})
        d["participants"] = people
        d["extra_hours"] = float(d["extra_hours"] or 0)
        return d


class HelperForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=HelperKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    relation = forms.CharField(label=_("Relation or role"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False)


class ActivityForm(forms.Form):
    service = forms.ChoiceField(label=_("Offer"))
    note = forms.CharField(label=_("What and when"), max_length=1000, required=False)

    def __init__(self, *args, offers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [
            (str(s.pk), f"{s.legal_basis} · {s.name} ({s.provider.name})".lstrip(" ·"))
            for s in offers]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    note = forms.CharField(label=_("Closing note"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class LetterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=LetterKind.choices)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 4}),
                           max_length=4000)
    contact_phone = forms.CharField(label=_("Phone with access to the coordination plan "
                                            "(CAVE)"), max_length=30, required=False)
    patient_accepted = forms.BooleanField(label=_("The patient accepts the CAVE message"),
                                          required=False)


class ReadmissionForm(forms.Form):
    admitted_on = forms.DateField(label=_("Readmitted"), widget=DATE)
