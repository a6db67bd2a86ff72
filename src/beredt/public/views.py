"""Public pages (no login). All words come from ``content/<lang>/``; the language is the
first part of the address (/hjaelp/ar/…), so every page has one URL per language and
works without cookies or JavaScript."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_http_methods

from beredt.core.errors import Conflict, DomainError
from beredt.core.middleware import client_ip
from beredt.core.params import int_param
from beredt.geo import selectors as geo_selectors

from . import challenge, content, help, selectors, services
from .models import SelfRegistrationRelation

RELATIONS = [
    (SelfRegistrationRelation.PRESENT, "relation_present"),
    (SelfRegistrationRelation.WITNESS, "relation_witness"),
    (SelfRegistrationRelation.RELATIVE, "relation_relative"),
    (SelfRegistrationRelation.OTHER, "relation_other"),
]


def _switcher(request, lang: str) -> list[dict]:
    """Links to the same page in every public language."""
    match = request.resolver_match
    links = []
    for other in content.languages():
        kwargs = {**match.kwargs, "lang": other.code}
        links.append({"code": other.code, "name": other.name, "current": other.code == lang,
                      "url": reverse(f"public:{match.url_name}", kwargs=kwargs)})
    return links


def _render(request, lang: str, template: str, context: dict | None = None, status: int = 200):
    lang_obj = content.language(lang)
    ctx = {"L": lang_obj, "ui": lang_obj.ui, "lang": lang, "languages": _switcher(request, lang),
           **(context or {})}
    response = render(request, template, ctx, status=status)
    response["Content-Language"] = lang
    return response


@require_GET
def root(request):
    return redirect("public:index", lang=content.DEFAULT_LANGUAGE)


@require_GET
@cache_control(public=True, max_age=60)
def index(request, lang: str):
    return _render(request, lang, "public/index.html", {
        "pages": selectors.published_pages()[:10],
        "municipalities": geo_selectors.municipalities().order_by("name"),
    })


@require_GET
@cache_control(public=True, max_age=300)
def topic(request, lang: str, topic: str):
    lang_obj = content.language(lang)
    item = lang_obj.topic(topic)
    if item is None:
        raise Http404
    return _render(request, lang, "public/topic.html", {
        "topic": item, "body": content.topic_html(lang, topic),
        "others": [t for t in lang_obj.topics if t.slug != topic],
    })


@require_GET
def choose_municipality(request, lang: str):
    """The municipality form of the home page posts here (GET, so it works without JS)."""
    code = int_param(request.GET.get("kommune"))
    if code is not None and geo_selectors.municipality(code):
        return redirect("public:municipality", lang=lang, code=code)
    return redirect("public:index", lang=lang)


@require_GET
@cache_control(public=True, max_age=60)
def municipality_help(request, lang: str, code: int):
    found = help.municipality_help(code)
    if found is None:
        raise Http404
    title = content.language(lang).t("help_page_title").format(municipality=found.name)
    return _render(request, lang, "public/municipality.html", {"help": found, "title": title})


def _incident_context(page, lang: str) -> dict:
    texts = {
        "what_happened": page.what_happened,
        "followup": page.followup_offered,
    }
    translated = False
    if lang == "en" and page.what_happened_en.strip():
        texts = {"what_happened": page.what_happened_en,
                 "followup": page.followup_offered_en or page.followup_offered}
        translated = True
    return {
        "page": page, "incident": page.incident,
        "what_happened": content.render_markdown(texts["what_happened"]),
        "followup": content.render_markdown(texts["followup"]) if texts["followup"] else "",
        "show_source_note": lang != "da" and not translated,
        "open": selectors.accepts_self_registration(page),
        "relations": [(value, content.language(lang).t(key)) for value, key in RELATIONS],
    }


@require_http_methods(["GET", "POST"])
def incident_page(request, lang: str, slug: str):
    page = selectors.published_page(slug)
    if page is None:
        return _render(request, lang, "public/not_found.html", status=404)
    context = _incident_context(page, lang)
    values: dict = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        values = request.POST.dict()
        values["children_affected"] = "children_affected" in request.POST
        values["consent"] = "consent" in request.POST
        _clean, field_errors = services.validate_self_registration(values)
        try:
            if field_errors and not values.get("website"):
                errors = field_errors
            else:
                services.submit_self_registration(page=page, data=values, language=lang,
                                                  ip=client_ip(request))
                return redirect("public:thanks", lang=lang, slug=slug)
        except services.RateLimited:
            errors = {"form": "rate_limited"}
            status = 429
        except services.ChallengeRequired:
            errors = {"form": "challenge_required"}
            status = 400
        except Conflict:
            context["open"] = False
            status = 409
        except DomainError as exc:  # a field the form did not catch
            errors = {exc.field or "form": exc.code}
        if errors and status == 200:
            status = 400
    ui = content.language(lang).ui
    context.update(pow_challenge=challenge.issue(), pow_bits=challenge.bits())
    context["values"] = values
    context["errors"] = {f: ui[services.ERROR_TEXT_KEYS.get(code, "error_required")]
                         for f, code in errors.items()}
    response = _render(request, lang, "public/incident.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def thanks(request, lang: str, slug: str):
    page = selectors.published_page(slug)
    if page is None:
        return _render(request, lang, "public/not_found.html", status=404)
    return _render(request, lang, "public/thanks.html", {
        "page": page, "incident": page.incident,
        "help": help.municipality_help(page.incident.municipality_id),
    })
