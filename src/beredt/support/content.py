"""The support tool's reviewed texts, kept as files in ``support/content/<da|en>/``.

``guide.toml`` — the crisis conversation guide (seed 003, appendix 2) with stable ids;
``checklists.toml`` — checklists by role; ``quizzes.toml`` — the self-tests by role;
``reference.toml`` + ``reference/<slug>.md`` — what to say, whom to refer to, information
for front-line staff. The staff UI is Danish or English, so the texts follow the user's
language. Danish is the answer key of the quizzes; ``tests/support/test_content.py`` checks
that both languages have the same ids and answers.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from django.utils.safestring import SafeString
from django.utils.translation import get_language

from .markdown import render_markdown

CONTENT_DIR = Path(__file__).resolve().parent / "content"
LANGUAGES = ("da", "en")
ROLES = ("crisis_team", "kop", "registrar", "frontline")


def staff_language(lang: str | None = None) -> str:
    lang = (lang or get_language() or "da")[:2]
    return lang if lang in LANGUAGES else "da"


@cache
def _load(lang: str, name: str) -> dict:
    return tomllib.loads((CONTENT_DIR / lang / f"{name}.toml").read_text(encoding="utf-8"))


def guide(lang: str | None = None) -> dict:
    return _load(staff_language(lang), "guide")


def checklists(lang: str | None = None) -> list[dict]:
    return _load(staff_language(lang), "checklists")["lists"]


def checklist(role: str, lang: str | None = None) -> dict | None:
    return next((c for c in checklists(lang) if c["role"] == role), None)


def quizzes(lang: str | None = None) -> list[dict]:
    return _load(staff_language(lang), "quizzes")["quizzes"]


def quiz(role: str, lang: str | None = None) -> dict | None:
    return next((q for q in quizzes(lang) if q["role"] == role), None)


def pass_mark() -> int:
    return int(_load("da", "quizzes")["pass_mark"])


def reference_pages(lang: str | None = None) -> list[dict]:
    return _load(staff_language(lang), "reference")["pages"]


@cache
def _reference_html(lang: str, slug: str) -> SafeString:
    return render_markdown((CONTENT_DIR / lang / "reference" / f"{slug}.md")
                           .read_text(encoding="utf-8"))


def reference_html(slug: str, lang: str | None = None) -> SafeString | None:
    lang = staff_language(lang)
    if slug not in {p["slug"] for p in reference_pages(lang)}:
        return None
    return _reference_html(lang, slug)
