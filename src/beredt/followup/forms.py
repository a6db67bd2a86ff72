from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .models import FollowupUnit, IncidentFollowup, Outcome, Referral
from .outreach import template_keys

CHANNEL_CHOICES = [("sms", _("SMS")), ("email", _("E-mail")),
                   ("digital_mail", _("Digital mail (e-Boks)"))]


def _units():
    return FollowupUnit.objects.filter(is_active=True).select_related("organisation")


class SettingsForm(forms.ModelForm):
    website = forms.URLField(required=False, assume_scheme="https")

    class Meta:
        model = IncidentFollowup
        fields = ["first_contact_days", "check_weeks", "regional_team_took_part", "hotline",
                  "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].label = capfirst(IncidentFollowup._meta.get_field(
            "website").verbose_name)


class UnitReasonForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Receiver"), queryset=FollowupUnit.objects.none())
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    template_key = forms.ChoiceField(label=_("Template"))
    channels = forms.MultipleChoiceField(label=_("Channels, in order of preference"),
                                         choices=CHANNEL_CHOICES,
                                         widget=forms.CheckboxSelectMultiple)
    max_per_minute = forms.IntegerField(label=_("At most per minute"), min_value=1,
                                        initial=600)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template_key"].choices = [(k, k) for k in template_keys()]


class CompleteForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    referral = forms.ChoiceField(label=_("Referred to"), required=False,
                                 choices=[("", "–"), *Referral.choices])
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(
        attrs={"rows": 3}))


class TryForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=2000)


class ImportForm(forms.Form):
    bundle = forms.FileField(label=_("FHIR bundle (JSON)"))
