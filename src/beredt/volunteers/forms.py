from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from beredt.accounts.models import User
from beredt.organisations.models import Organisation, OrganisationKind, Site

from .models import ONBOARDING_ITEMS, Partnership, Volunteer

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ShiftForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("From"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("To"), widget=DATETIME)
    volunteer = forms.ModelChoiceField(
        label=_("Volunteer"), queryset=Volunteer.objects.none(), required=False,
        empty_label=_("Open shift"),
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = unit.volunteers.filter(
            stopped_on__isnull=True).select_related("user")


class CallForm(forms.Form):
    place = forms.CharField(
        label=_("Where"), max_length=120,
        help_text=_("E.g. waiting room 2. Never the patient's name or CPR number."),
    )
    needed_at = forms.DateTimeField(
        label=_("When"), widget=DATETIME, required=False, help_text=_("Empty: now.")
    )
    without_relative = forms.TypedChoiceField(
        label=_("Patient without relative present?"),
        choices=[("1", _("Yes")), ("0", _("No"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect, initial="1",
    )
    note = forms.CharField(
        label=_("Note (no patient data)"), max_length=200, required=False,
    )


class InviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(
        label=_("Mobile phone"), max_length=20, required=False,
        help_text=_("For calls and reminders by SMS, e.g. +4512345678."),
    )
    started_on = forms.DateField(label=_("Start date"), widget=DATE)
    training_done_on = forms.DateField(label=_("Training completed"), widget=DATE, required=False)
    availability = forms.CharField(label=_("Availability"), max_length=200, required=False)


class VolunteerForm(forms.Form):
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    training_done_on = forms.DateField(label=_("Training completed"), widget=DATE, required=False)
    availability = forms.CharField(label=_("Availability"), max_length=200, required=False)
    stopped_on = forms.DateField(label=_("Stopped on"), widget=DATE, required=False)


class OnboardingForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Volunteer"), queryset=Volunteer.objects.none())
    items = forms.MultipleChoiceField(
        label=_("Gone through at the first shift"), choices=ONBOARDING_ITEMS,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = unit.volunteers.filter(
            stopped_on__isnull=True, onboarding__isnull=True).select_related("user")


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = ["organisation", "commissioner", "candidates", "meetings", "decided_by",
                  "decided_on", "decision", "agreement_from", "agreement_until"]
        widgets = {"decided_on": DATE, "agreement_from": DATE, "agreement_until": DATE,
                   "meetings": forms.Textarea(attrs={"rows": 3}),
                   "decision": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["commissioner"].queryset = Organisation.objects.filter(
            kind__in=[OrganisationKind.REGION, OrganisationKind.REGION_PSYCHIATRY])


class EvaluationForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The period cannot end before it starts."))
        return data


class UnitForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Volunteer organisation"),
                                          queryset=Organisation.objects.none())
    site = forms.ModelChoiceField(label=_("Acute reception"), queryset=Site.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120)
    place = forms.CharField(label=_("Where volunteers meet"), max_length=200, required=False)
    shift_hours = forms.CharField(label=_("Usual shifts"), max_length=100, initial="10-14,16-20",
                                  help_text=_("Start and end hours, e.g. 10-14,16-20."))
    notice_hours = forms.IntegerField(label=_("Cancellation notice (hours)"), min_value=0,
                                      max_value=24 * 14, initial=48)
    activity_leaders = forms.ModelMultipleChoiceField(
        label=_("Activity leaders"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People of the volunteer organisation."))
    contact_persons = forms.ModelMultipleChoiceField(
        label=_("Department contact persons"), queryset=User.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Staff of the psychiatric departments."))

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["site"].queryset = Site.objects.filter(
            organisation__kind=OrganisationKind.PSYCHIATRIC_DEPARTMENT
        ).select_related("organisation")
        self.fields["activity_leaders"].queryset = User.objects.filter(
            is_active=True, memberships__organisation__in=organisations).distinct()
        self.fields["contact_persons"].queryset = User.objects.filter(
            is_active=True,
            memberships__organisation__kind=OrganisationKind.PSYCHIATRIC_DEPARTMENT,
        ).distinct()
