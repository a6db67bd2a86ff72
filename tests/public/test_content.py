"""The reviewed texts: every language has every key and page, and Markdown is safe."""

import tomllib

import pytest

from beredt.public import content
from beredt.support.markdown import render_markdown


def test_every_language_has_the_keys_and_pages_of_danish():
    reference = content.language("da")
    for code in content.LANGUAGES:
        lang = content.language(code)
        assert set(lang.ui) == set(reference.ui), code
        assert [t.slug for t in lang.topics] == [t.slug for t in reference.topics], code
        for topic in lang.topics:
            html = content.topic_html(code, topic.slug)
            assert "<h1>" in html and topic.title in html, (code, topic.slug)


def test_arabic_is_right_to_left_and_the_others_left_to_right():
    assert content.language("ar").direction == "rtl"
    assert {content.language(c).direction for c in ("da", "en", "uk", "pl")} == {"ltr"}


def test_texts_cover_body_feelings_thoughts_sleep_children_and_help():
    text = (content.CONTENT_DIR / "da" / "reactions.md").read_text()
    for heading in ("## Kroppen", "## Følelser", "## Tanker", "## Søvn"):
        assert heading in text
    assert "112" in (content.CONTENT_DIR / "da" / "get-help.md").read_text()
    assert "116 111" in (content.CONTENT_DIR / "da" / "children.md").read_text()


def test_placeholders_survive_translation():
    for code in content.LANGUAGES:
        assert "{municipality}" in content.language(code).t("help_page_title"), code


def test_raw_html_and_javascript_links_are_not_rendered():
    html = render_markdown('<script>alert(1)</script>\n\n[x](javascript:alert(1)) <b onclick="y">')
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html
    assert "<b " not in html


def test_unknown_language_is_refused():
    with pytest.raises(KeyError):
        content.language("de")


def test_ui_files_are_valid_toml():
    for code in content.LANGUAGES:
        tomllib.loads((content.CONTENT_DIR / code / "ui.toml").read_text(encoding="utf-8"))
