"""Performance budget of the public pages: no JavaScript but the self-registration form's
small proof-of-work solver, and under 100 kB per page (HTML + CSS + JS, fonts excluded —
there are none)."""

import re

import pytest

from beredt.directory.services import load_seed_003
from beredt.public import content

from .conftest import VALID

BUDGET = 100 * 1024


def page_weight(client, url: str, *, method: str = "get", data=None) -> tuple[int, str]:
    response = getattr(client, method)(url, data or {})
    assert response.status_code in (200, 400), (url, response.status_code)
    html = response.content.decode()
    total = len(response.content)
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', html)
    for asset in assets:
        asset_response = client.get(asset)
        assert asset_response.status_code == 200, asset
        total += len(b"".join(asset_response.streaming_content)
                     if asset_response.streaming else asset_response.content)
    return total, html


@pytest.fixture
def urls(page):
    load_seed_003()
    slug = page.slug
    return lambda lang: [
        f"/hjaelp/{lang}/", f"/hjaelp/{lang}/reactions/", f"/hjaelp/{lang}/children/",
        f"/hjaelp/{lang}/advice/", f"/hjaelp/{lang}/get-help/", f"/hjaelp/{lang}/kommune/730/",
        f"/hjaelp/{lang}/h/{slug}/", f"/hjaelp/{lang}/h/{slug}/tak/",
    ]


@pytest.mark.parametrize("lang", content.LANGUAGES)
def test_every_public_page_is_under_100_kb_and_has_no_other_script(client, urls, lang):
    for url in urls(lang):
        weight, html = page_weight(client, url)
        assert weight < BUDGET, (url, weight)
        assert weight > 2000, (url, weight)  # the measurement counts a real page
        scripts = re.findall(r"<script[^>]*>", html)
        assert all('src="/static/beredt/pow.js"' in s and "/h/" in url for s in scripts), url


def test_incident_page_with_form_errors_is_under_budget(client, page):
    weight, html = page_weight(client, f"/hjaelp/ar/h/{page.slug}/", method="post",
                               data={**VALID, "full_name": "", "consent": ""})
    assert 'role="alert"' in html and weight < BUDGET
