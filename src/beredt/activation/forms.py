from django import forms
from django.utils.translation import gettext_lazy as _

from beredt.accounts.models import User
from beredt.organisations.models import LEADING_ROLES, Membership, Organisation, Site
from beredt.organisations.selectors import descendant_ids, organisation_ids_with_role

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
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

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


# --- Plans, roles and action cards -------------------------------------------------------
TEXTAREA = forms.Textarea(attrs={"rows": 4})


class PlanForm(forms.Form):
    """A plan. The escalation chain is one select per step, in order (blank steps are left
    out; one more step than the chain has, at least five); the acknowledgement time is given
    in minutes."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Purpose and division of work"), required=False, widget=TEXTAREA
    )
    activation_criteria = forms.CharField(
        label=_("When to activate"), required=False, widget=TEXTAREA
    )
    ack_timeout_minutes = forms.IntegerField(
        label=_("Acknowledge within (minutes)"),
        min_value=1,
        max_value=24 * 60,
        help_text=_("Without acknowledgement within this time the alarm escalates."),
    )
    activating_organisations = forms.ModelMultipleChoiceField(
        label=_("May also activate"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Members of these organisations may alarm this plan's organisation "
            "(e.g. Social Døgnvagt, Tværgående Kriseledelse)."
        ),
    )
    webhook_url = forms.URLField(
        label=_("Webhook"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("Also POST every alarm of this plan here."),
    )

    def __init__(self, *args, organisations, plan=None, **kwargs):
        if plan is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": plan.title,
                    "summary": plan.summary,
                    "activation_criteria": plan.activation_criteria,
                    "ack_timeout_minutes": plan.ack_timeout_minutes,
                    "activating_organisations": list(plan.activating_organisations.all()),
                    "webhook_url": plan.webhook_url,
                    **{f"step_{n + 1}": role for n, role in enumerate(plan.escalation)},
                },
            )
        super().__init__(*args, **kwargs)
        chain = len(plan.escalation) if plan is not None else 4
        self.steps = min(len(DutyRole), max(4, chain) + 1)
        for n in range(1, self.steps + 1):
            self.fields[f"step_{n}"] = forms.ChoiceField(
                label=_("Escalation step %(n)s") % {"n": n},
                choices=[("", "–"), *DutyRole.choices],
                required=n == 1,
            )
        if plan is not None:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = organisations
        self.fields["activating_organisations"].queryset = Organisation.objects.filter(
            is_active=True
        ).order_by("name")

    def escalation_fields(self):
        return [self[f"step_{n}"] for n in range(1, self.steps + 1)]

    def other_fields(self):
        return [f for f in self if not f.name.startswith("step_")]

    def clean(self):
        data = super().clean()
        data["escalation"] = [
            data[f"step_{n}"] for n in range(1, self.steps + 1) if data.get(f"step_{n}")
        ]
        return data

    def plan_values(self) -> dict:
        """The cleaned data as the service takes it."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "summary": data["summary"],
            "activation_criteria": data["activation_criteria"],
            "ack_timeout_seconds": data["ack_timeout_minutes"] * 60,
            "escalation": data["escalation"],
            "activating_organisations": list(data["activating_organisations"]),
            "webhook_url": data["webhook_url"],
        }


class PlanRoleForm(forms.Form):
    duty_role = forms.ChoiceField(label=_("Role"), choices=DutyRole.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Tasks"), required=False, widget=TEXTAREA)
    organisation = forms.ModelChoiceField(
        label=_("Department"), queryset=Organisation.objects.none(), required=False
    )
    site = forms.ModelChoiceField(label=_("Site"), queryset=Site.objects.none(), required=False)
    order = forms.IntegerField(
        label=_("Order"),
        min_value=0,
        max_value=1000,
        required=False,
        help_text=_("Roles are listed in this order; empty puts the role last."),
    )

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        tree = descendant_ids([plan.organisation_id])
        self.fields["organisation"].queryset = Organisation.objects.filter(pk__in=tree).order_by(
            "name"
        )
        self.fields["site"].queryset = (
            Site.objects.filter(organisation_id__in=tree)
            .select_related("organisation")
            .order_by("organisation__name", "name")
        )


class HolderForm(forms.Form):
    user = PersonChoiceField(label=_("Person"), queryset=User.objects.none())

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = candidates


class ActionCardForm(forms.Form):
    """A card; the items are one per line. Editing publishes a new version."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    code = forms.CharField(
        label=_("Code"), max_length=30, help_text=_("Short and unique, e.g. C-BUR.")
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    duty_role = forms.ChoiceField(label=_("Role"), choices=DutyRole.choices)
    items = forms.CharField(
        label=_("Items"),
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=_("One item per line, in the order they are done."),
    )

    def __init__(self, *args, organisations=None, card=None, **kwargs):
        if card is not None:
            kwargs.setdefault(
                "initial",
                {"title": card.title, "duty_role": card.duty_role, "items": "\n".join(card.items)},
            )
        super().__init__(*args, **kwargs)
        if card is not None:
            del self.fields["organisation"]
            del self.fields["code"]
        else:
            self.fields["organisation"].queryset = organisations

    def clean_items(self):
        items = [line.strip() for line in self.cleaned_data["items"].splitlines()]
        items = [i for i in items if i]
        if not items:
            raise forms.ValidationError(_("The card needs at least one item."))
        return items
