from django import forms
from django.utils.translation import gettext_lazy as _

from .models import IncidentPage


class IncidentPageForm(forms.ModelForm):
    class Meta:
        model = IncidentPage
        fields = ["title", "what_happened", "what_happened_en", "hotline_phone", "hotline_hours",
                  "epc_location", "followup_offered", "followup_offered_en",
                  "self_registration_open"]
        widgets = {
            "what_happened": forms.Textarea(attrs={"rows": 5}),
            "what_happened_en": forms.Textarea(attrs={"rows": 4}),
            "followup_offered": forms.Textarea(attrs={"rows": 4}),
            "followup_offered_en": forms.Textarea(attrs={"rows": 3}),
        }


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             help_text=_("E.g. spam, test, or already registered at the EPC."))
