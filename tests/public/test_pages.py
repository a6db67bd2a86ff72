"""Public pages: languages, direction, incident pages only while published and open."""

import pytest
from django.urls import reverse

from beredt.incidents import services as incident_services
from beredt.public import content, services


@pytest.mark.django_db
@pytest.mark.parametrize("lang", content.LANGUAGES)
def test_index_and_topics_render_in_each_language_with_direction(client, lang):
    response = client.get(reverse("public:index", kwargs={"lang": lang}))
    body = response.content.decode()
    assert response.status_code == 200
    direction = content.language(lang).direction
    assert f'<html lang="{lang}" dir="{direction}">' in body
    assert content.language(lang).t("site_name") in body
    for topic in content.language(lang).topics:
        page = client.get(reverse("public:topic", kwargs={"lang": lang, "topic": topic.slug}))
        assert page.status_code == 200 and topic.title in page.content.decode()


@pytest.mark.django_db
def test_language_switcher_links_the_same_page_in_every_language(client):
    body = client.get("/hjaelp/uk/children/").content.decode()
    for code in content.LANGUAGES:
        if code != "uk":
            assert f'href="/hjaelp/{code}/children/"' in body
    assert 'aria-current="true" lang="uk"' in body


@pytest.mark.django_db
def test_root_redirects_to_danish_and_unknown_pages_are_404(client):
    assert client.get("/hjaelp/").headers["Location"] == "/hjaelp/da/"
    assert client.get("/hjaelp/da/no-such-topic/").status_code == 404
    assert client.get("/hjaelp/de/").status_code == 404


def test_public_pages_need_no_login_and_use_the_lean_layout(client, page):
    response = client.get(f"/hjaelp/da/h/{page.slug}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Der er udbrudt brand" in body and "8915 1515" in body and "Laksetorvet" in body
    # No staff bar; the only script is the form's own proof-of-work solver (the page
    # works without it).
    scripts = [part.split(">", 1)[0] for part in body.split("<script")[1:]]
    assert "topbar" not in body and all("beredt/pow.js" in s for s in scripts)
    assert 'name="website"' in body  # honeypot present


def test_english_page_shows_the_english_text_other_languages_the_danish_with_a_note(client, page):
    english = client.get(f"/hjaelp/en/h/{page.slug}/").content.decode()
    assert "A fire broke out" in english
    assert content.language("en").t("source_language_note") not in english
    arabic = client.get(f"/hjaelp/ar/h/{page.slug}/").content.decode()
    assert "Der er udbrudt brand" in arabic and 'dir="rtl"' in arabic
    assert content.language("ar").t("source_language_note") in arabic


def test_unpublished_page_is_not_shown(client, kop, page):
    services.save_incident_page(by=kop, incident=page.incident, data={}, publish=False)
    assert client.get(f"/hjaelp/da/h/{page.slug}/").status_code == 404
    assert page.title not in client.get("/hjaelp/da/").content.decode()


def test_page_of_a_closed_incident_disappears(client, kop, page):
    incident_services.change_status(by=kop, incident=page.incident, status="standing_down")
    incident_services.change_status(by=kop, incident=page.incident, status="closed")
    assert client.get(f"/hjaelp/da/h/{page.slug}/").status_code == 404


def test_published_pages_are_listed_on_the_home_page(client, page):
    body = client.get("/hjaelp/pl/").content.decode()
    assert f'href="/hjaelp/pl/h/{page.slug}/"' in body


def test_incident_page_markdown_is_escaped(client, kop, page):
    services.save_incident_page(by=kop, incident=page.incident, data={
        "what_happened": "Brand <script>alert(1)</script> på **havnen**"})
    body = client.get(f"/hjaelp/da/h/{page.slug}/").content.decode()
    assert "<script>alert" not in body and "<strong>havnen</strong>" in body


@pytest.mark.django_db
def test_choose_municipality_redirects_to_its_help_page(client):
    response = client.get("/hjaelp/da/kommune/?kommune=730")
    assert response.headers["Location"] == "/hjaelp/da/kommune/730/"
    assert client.get("/hjaelp/da/kommune/?kommune=abc").headers["Location"] == "/hjaelp/da/"
    assert client.get("/hjaelp/da/kommune/999/").status_code == 404
