"""Page forms: they parse input; the services check the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from beredt.core.errors import DomainError

from .figures import figure_choices
from .models import Committee, Light, ReportFormat
from .periods import Quarter


class QuarterField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", _("e.g. 2024Q2"))
        super().__init__(**kwargs)


class InitiativeForm(forms.Form):
    budget_year = forms.IntegerField(label=_("Budget year"), min_value=2000, max_value=2100)
    position = forms.IntegerField(label=_("Number in the report"), min_value=1, max_value=999,
                                  initial=1)
    title = forms.CharField(label=_("Title"), max_length=200)
    organisation = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    committee = forms.ModelChoiceField(label=_("Committee"), queryset=Committee.objects.none())
    purpose = forms.CharField(label=_("Budget initiative"), widget=forms.Textarea(
        attrs={"rows": 5}), help_text=_("What the budget set aside and why."))
    description = forms.CharField(label=_("Description of the effort"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 6}), help_text=_(
                                      "The recommendations and their amounts are listed "
                                      "after this text in the report."))
    approved_on = forms.DateField(label=_("Approved on"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}))
    approved_by = forms.CharField(label=_("Approved by"), max_length=200, required=False,
                                  help_text=_("e.g. Regionsrådet"))

    def __init__(self, *args, organisations, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.fields["committee"].queryset = committees


class AllocationForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.CharField(label=_("Allocation (kr.)"), max_length=30,
                             help_text=_("Kroner, e.g. 3400000 or 3400000.50"))


class ExplanationForm(forms.Form):
    year = forms.IntegerField(widget=forms.HiddenInput)
    explanation = forms.CharField(label=_("Explanation of the difference"), max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 2}), required=False)


class RecommendationForm(forms.Form):
    number = forms.IntegerField(label=_("Number in the plan"), min_value=1, max_value=9999,
                                required=False, help_text=_("Blank for an unnumbered part of "
                                                            "the effort."))
    title = forms.CharField(label=_("Title"), max_length=300)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=999, initial=0)
    responsible_name = forms.CharField(label=_("Responsible"), max_length=200, required=False)
    figure_key = forms.ChoiceField(label=_("Operational figure"), required=False)
    first_quarter = QuarterField(label=_("First quarter"), required=False)
    last_quarter = QuarterField(label=_("Last quarter"), required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["figure_key"].choices = [("", _("None")), *figure_choices()]
        self.years = list(years)
        for year in self.years:
            self.fields[f"amount_{year}"] = forms.CharField(
                label=_("Amount %(year)s (kr.)") % {"year": year}, max_length=30,
                required=False)

    def amounts(self) -> dict:
        return {year: self.cleaned_data[f"amount_{year}"] for year in self.years
                if (self.cleaned_data.get(f"amount_{year}") or "").strip()}


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=300)
    planned_quarter = QuarterField(label=_("Planned quarter"))


class StatusForm(forms.Form):
    light = forms.ChoiceField(label=_("Status"), choices=Light.choices,
                              widget=forms.RadioSelect)
    text = forms.CharField(label=_("Status text"), widget=forms.Textarea(attrs={"rows": 6}))
    next_steps = forms.CharField(label=_("What is next"), required=False,
                                 widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Introduction to the status"), required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ReportForm(forms.Form):
    quarter = QuarterField(label=_("Quarter"))
    format = forms.ChoiceField(label=_("Format"), choices=ReportFormat.choices)

    def clean_quarter(self):
        try:
            return str(Quarter.parse(self.cleaned_data["quarter"]))
        except DomainError as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code) from None
