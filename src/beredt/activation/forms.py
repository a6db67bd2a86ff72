from django import forms
from django.utils.translation import gettext_lazy as _

from beredt.accounts.models import User
from beredt.organisations.models import LEADING_ROLES, Membership, Organisation
from beredt.organisations.selectors import organisation_ids_with_role

from .models import DutyRole, SiteKind, TrainingKind

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def _managed_orgs(user):
    qs = Organisation.objects.filter(is_active=True).order_by("name")
    return (
        qs
        if user.is_superuser
        else qs.filter(pk__in=organisation_ids_with_role(user, LEADING_ROLES))
    )


def _people(org_qs):
    return User.objects.filter(
        is_active=True,
        pk__in=Membership.objects.filter(organisation__in=org_qs).values("user_id"),
    ).order_by("first_name", "last_name")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.username})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.display_name} – {obj.title}" if obj.title else obj.display_name


class ShiftForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Department"), queryset=Organisation.objects.none()
    )
    duty_role = forms.ChoiceField(label=_("Role"), choices=DutyRole.choices)
    user = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    starts_at = forms.DateTimeField(label=_("Starts"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Ends"), widget=DATETIME)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = _managed_orgs(user)
        self.fields["organisation"].queryset = orgs
        self.fields["user"].queryset = _people(orgs)


class SwapForm(forms.Form):
    user = PersonChoiceField(label=_("Hand over to"), queryset=User.objects.none())

    def __init__(self, *args, shift, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(
            Organisation.objects.filter(pk=shift.organisation_id)
        ).exclude(pk=shift.user_id)


class TrainingForm(forms.Form):
    user = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    kind = forms.ChoiceField(label=_("Training"), choices=TrainingKind.choices)
    completed_on = forms.DateField(
        label=_("Completed"), widget=forms.DateInput(attrs={"type": "date"})
    )
    expires_on = forms.DateField(
        label=_("Expires"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    provider = forms.CharField(label=_("Provider"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = _people(_managed_orgs(user))


class AlarmForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Department to alarm"), queryset=Organisation.objects.none()
    )
    note = forms.CharField(
        label=_("Message"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    everyone = forms.BooleanField(
        label=_("Call in everyone in the department"),
        required=False,
        help_text=_("Without this, the KOP on duty is alarmed and the alarm escalates."),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


class RequestForm(forms.Form):
    users = PeopleChoiceField(
        label=_("Crisis team members"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Message"), required=False, max_length=300)

    def __init__(self, *args, incident, **kwargs):
        super().__init__(*args, **kwargs)
        from beredt.organisations.selectors import descendant_ids

        orgs = Organisation.objects.filter(pk__in=descendant_ids([incident.lead_organisation_id]))
        self.fields["users"].queryset = (
            User.objects.filter(
                is_active=True, memberships__organisation__in=orgs, memberships__role="crisis_team"
            )
            .distinct()
            .order_by("first_name")
        )


class SiteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SiteKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    address = forms.CharField(label=_("Address"), max_length=300)


class LogForm(forms.Form):
    text = forms.CharField(
        label=_("Entry"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    corrects_id = forms.IntegerField(
        label=_("Corrects entry no."),
        required=False,
        help_text=_("Entries are never edited: to correct one, give its number."),
    )


class AfterActionForm(forms.Form):
    supervision_at = forms.DateTimeField(
        label=_("Supervision for the team"), required=False, widget=DATETIME
    )
    supervision_place = forms.CharField(label=_("Place"), max_length=200, required=False)
    supervisor = forms.CharField(label=_("Supervisor"), max_length=200, required=False)
    went_well = forms.CharField(
        label=_("What went well"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    to_improve = forms.CharField(
        label=_("What to improve"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up = forms.CharField(
        label=_("Follow-up needed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
