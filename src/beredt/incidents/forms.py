from django import forms
from django.utils.translation import gettext_lazy as _

from beredt.accounts.models import User
from beredt.geo.models import Municipality
from beredt.organisations.models import LEADING_ROLES, Organisation
from beredt.organisations.selectors import (
    ancestor_ids,
    descendant_ids,
    organisation_ids_with_role,
)

from .models import AssignmentRole, IncidentKind, MunicipalCrisisLevel


class IncidentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        help_text=_("Short and neutral, e.g. “Bus accident on Route 16”."),
    )
    kind = forms.ChoiceField(label=_("Type"), choices=IncidentKind.choices)
    municipality_code = forms.ModelChoiceField(
        label=_("Incident municipality"), queryset=Municipality.objects.all(), to_field_name="code"
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    started_at = forms.DateTimeField(
        label=_("Started"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    lead_organisation_id = forms.ModelChoiceField(
        label=_("Lead organisation"), queryset=Organisation.objects.none()
    )
    regional_level = forms.CharField(
        label=_("Regional plan level (AMK)"), max_length=60, required=False
    )
    municipal_crisis_level = forms.TypedChoiceField(
        label=_("Municipal crisis level"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "–"), *MunicipalCrisisLevel.choices],
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)
    is_exercise = forms.BooleanField(label=_("This is an exercise"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.filter(is_active=True)
        if not user.is_superuser:
            qs = qs.filter(pk__in=organisation_ids_with_role(user, LEADING_ROLES))
        self.fields["lead_organisation_id"].queryset = qs
        if qs.count() == 1:
            self.fields["lead_organisation_id"].initial = qs.first()

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data["municipality_code"] = data["municipality_code"].code
        data["lead_organisation_id"] = data["lead_organisation_id"].pk
        return data


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.display_name} ({user.username})"


class AssignForm(forms.Form):
    """Choose among the people of the organisations the incident lead can see (the lead
    organisation's tree and the manager's own organisations)."""

    user = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(
        label=_("Role"), choices=AssignmentRole.choices, initial=AssignmentRole.CRISIS_TEAM
    )
    reason = forms.CharField(
        label=_("Reason (when you deploy yourself)"), required=False, max_length=500,
        help_text=_("Deploying yourself to an incident you do not lead is break-glass access: "
                    "the reason is shown to the incident's lead and in the audit log."),
    )

    def __init__(self, *args, manager, incident, **kwargs):
        super().__init__(*args, **kwargs)
        org_ids = organisation_ids_with_role(manager) | descendant_ids(
            ancestor_ids(incident.lead_organisation_id)[-1:]
        )
        self.fields["user"].queryset = (
            User.objects.filter(is_active=True, memberships__organisation_id__in=org_ids)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
