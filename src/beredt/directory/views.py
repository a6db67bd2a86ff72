"""Pages: the public "Hvem kan hjælpe nu?", the contact sheet (public, printable), the staff
catalogue with detail, and the CSV import for directory administrators."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beredt.core.errors import DomainError
from beredt.geo import selectors as geo

from . import selectors, services
from .api import parse_moment
from .hours import format_hours, holiday_name, local
from .models import ServiceKind, Visitation


def _municipality_options():
    return [(m.code, m.name) for m in geo.municipalities()]


def help_now(request):
    """Public: pick a municipality (or type a postcode) and see who answers now."""
    code = request.GET.get("kommune", "").strip()
    postcode = request.GET.get("postnummer", "").strip()
    error = None
    candidates = []
    if postcode and not code:
        if not re.fullmatch(r"\d{4}", postcode):
            error = _("A postcode has four digits.")
        else:
            candidates = [link.municipality for link in geo.postcode_municipalities(postcode)]
            if not candidates:
                error = _("We do not know the postcode %(p)s.") % {"p": postcode}
            elif len(candidates) == 1:
                code = str(candidates[0].code)
                candidates = []
    result = None
    if code:
        try:
            at = parse_moment(request.GET.get("tid")) or timezone.now()
            result = selectors.open_now(code, at, "citizen")
        except DomainError as exc:
            error = str(exc.message)
    context = {
        "municipalities": _municipality_options(), "code": code, "postcode": postcode,
        "error": error, "candidates": candidates, "result": result,
        "holiday": holiday_name(result.at.date()) if result else None,
    }
    return render(request, "directory/help_now.html", context)


def contact_sheet(request, code: int):
    """Public, printable: the municipality's lines and the region's lines on one page."""
    try:
        sheet = selectors.contact_sheet(code)
    except DomainError:
        raise Http404 from None
    return render(request, "directory/sheet.html", {
        "sheet": sheet, "printed": local(timezone.now()),
        "municipalities": _municipality_options(),
    })


def contact_sheet_pick(request):
    code = request.GET.get("kommune", "").strip()
    if code.isdigit():
        return redirect("directory:sheet", code=int(code))
    return render(request, "directory/sheet.html", {
        "sheet": None, "municipalities": _municipality_options()})


class CatalogueFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False)
    municipality = forms.TypedChoiceField(label=gettext_lazy("Municipality"), required=False,
                                          coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False,
                             choices=[("", gettext_lazy("All")), *ServiceKind.choices])
    visitation = forms.ChoiceField(
        label=gettext_lazy("Visitation"), required=False,
        choices=[("", gettext_lazy("All"))] + [c for c in Visitation.choices if c[0]])
    legal_basis = forms.CharField(label=gettext_lazy("Legal basis"), required=False,
                                  help_text=gettext_lazy("E.g. SL §85"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("All")), *_municipality_options()]


@login_required
def catalogue(request):
    form = CatalogueFilter(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.search_services(
        municipality=filters.get("municipality"), q=filters.get("q") or None,
        visitation=filters.get("visitation") or None,
        legal_basis=filters.get("legal_basis") or None, kind=filters.get("kind") or None)
    page = Paginator(qs, 40).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page" and v}
    return render(request, "directory/catalogue.html", {
        "form": form, "page_obj": page,
        "rows": [(s, format_hours(s.schedules.all())) for s in page],
        "query": urlencode(query) + "&" if query else "",
        "can_edit": selectors.can_edit_directory(request.user),
    })


@login_required
def service_detail(request, service_id):
    service = selectors.service(service_id)
    if service is None:
        raise Http404
    return render(request, "directory/detail.html", {
        "service": service, "hours": format_hours(service.schedules.all()),
        "can_edit": selectors.can_edit_directory(request.user),
        "upcoming_closures": [c for c in service.closures.all() if c.ends_at > timezone.now()],
    })


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV file"),
                           help_text=gettext_lazy("UTF-8, separated by comma or semicolon."))


@login_required
def csv_import(request):
    if not selectors.can_edit_directory(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            text = form.cleaned_data["file"].read().decode("utf-8")
            result = services.import_csv(text=text, actor=request.user)
        except UnicodeDecodeError:
            form.add_error("file", _("The file is not UTF-8 text."))
        except services.ImportRejected as exc:
            errors = exc.errors
            form.add_error(None, str(exc.message))
        except DomainError as exc:  # an unreadable file (tabular.read_csv)
            form.add_error("file", str(exc.message))
        else:
            messages.success(request, _("Imported: %(c)d new, %(u)d updated.") % {
                "c": result.created, "u": result.updated})
            return redirect("directory:catalogue")
    return render(request, "directory/import.html", {
        "form": form, "errors": errors, "columns": services.CSV_COLUMNS})
