"""The reviewed public texts, kept as files in ``public/content/<lang>/``.

Each language folder holds ``ui.toml`` (the language's name, its writing direction, the
words of the page chrome and the list of topic pages) and one Markdown file per topic
(``<slug>.md``). A clinician or communications officer corrects a text by editing the file;
nothing of it is hard-coded in a template. Every language must have the same keys and
pages (``tests/public/test_content.py`` fails otherwise).

Markdown is rendered safely by :func:`beredt.support.markdown.render_markdown` (raw HTML
off).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.safestring import SafeString

from beredt.support.markdown import render_markdown

CONTENT_DIR = Path(__file__).resolve().parent / "content"
# Public languages, in the order of the language switcher. Danish is the reference text.
LANGUAGES = ("da", "en", "ar", "uk", "pl")
DEFAULT_LANGUAGE = "da"


@dataclass(frozen=True)
class Topic:
    slug: str
    title: str
    summary: str


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    direction: str  # "ltr" or "rtl"
    review: str  # who reviewed the texts, or that they still await review
    ui: dict[str, str]
    topics: tuple[Topic, ...]

    def t(self, key: str) -> str:
        return self.ui[key]

    def topic(self, slug: str) -> Topic | None:
        return next((t for t in self.topics if t.slug == slug), None)

    @property
    def reactions_topic(self) -> Topic | None:
        return self.topic("reactions")

    @property
    def get_help_topic(self) -> Topic | None:
        return self.topic("get-help")


@cache
def language(code: str) -> Language:
    if code not in LANGUAGES:
        raise KeyError(code)
    data = tomllib.loads((CONTENT_DIR / code / "ui.toml").read_text(encoding="utf-8"))
    topics = tuple(
        Topic(slug=t["slug"], title=t["title"], summary=t["summary"]) for t in data["topics"]
    )
    return Language(
        code=code, name=data["name"], direction=data["direction"], review=data["review"],
        ui=dict(data["ui"]), topics=topics,
    )


@cache
def topic_html(code: str, slug: str) -> SafeString:
    lang = language(code)
    if lang.topic(slug) is None:
        raise KeyError(slug)
    return render_markdown((CONTENT_DIR / code / f"{slug}.md").read_text(encoding="utf-8"))


def languages() -> list[Language]:
    return [language(code) for code in LANGUAGES]


def clear_cache() -> None:
    language.cache_clear()
    topic_html.cache_clear()
