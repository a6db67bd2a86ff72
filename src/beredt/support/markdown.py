"""Safe Markdown for the reviewed content files (support tool and public site).

markdown-it-py in CommonMark mode with raw HTML switched off: a ``<tag>`` in a file is
shown as text, and links with unsafe schemes (``javascript:``, ``data:``) are refused by the
parser's link validation. The output is therefore safe to insert into a page.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_markdown = MarkdownIt(
    "commonmark", {"html": False, "linkify": False, "typographer": False}
).enable("table")


def render_markdown(text: str) -> SafeString:
    return mark_safe(_markdown.render(text or ""))  # noqa: S308  (html=False escapes raw HTML)
