"""Browser tests (Playwright + Chromium): a citizen finds who answers now, a citizen
self-registers in Arabic, a staff member confirms it, and axe-core finds no serious or
critical accessibility violations on the public pages."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from beredt.directory.services import load_seed_003
from beredt.public import content, services
from beredt.public.models import SelfRegistration
from beredt.registry.models import PointKind, Registration

from .browser import browser_page, shot
from .conftest import VALID

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(autouse=True)
def _committed_data(transactional_db):
    """A live server reads committed data; the root conftest restores the reference data
    after the flush that ends each of these tests."""


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from npm (``make axe``); installed here when missing."""
    if not AXE.exists():
        subprocess.run(["npm", "install", "--no-save", "--prefix", str(AXE.parents[2]),
                        "axe-core"], check=False, capture_output=True, timeout=300)
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make axe` (needs npm).")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def citizen(browser):
    """A phone without JavaScript: the public pages must work without it."""
    with browser_page(browser, width=390, height=844, java_script_enabled=False) as page:
        yield page


@pytest.fixture
def checker(browser):
    # JavaScript and bypass_csp only so that the test can inject axe-core.
    with browser_page(browser, width=390, height=844, bypass_csp=True) as page:
        yield page


def serious_violations(page, axe_source: str) -> list[dict]:
    page.evaluate(axe_source)
    result = page.evaluate(
        "async () => JSON.stringify(await axe.run(document, {runOnly: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}))")
    violations = json.loads(result)["violations"]
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]}
            for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.django_db(transaction=True)
def test_citizen_finds_who_answers_now_in_their_municipality(live_server, citizen):
    load_seed_003()
    citizen.goto(f"{live_server.url}/hjaelp/da/")
    citizen.select_option("#kommune", label="Randers")
    citizen.click("form.pub-inline button[type=submit]")
    citizen.wait_for_url("**/hjaelp/da/kommune/730/")
    assert citizen.locator("h1").inner_text() == "Hjælp i Randers"
    open_now = citizen.locator("section[aria-labelledby=now-h]")
    # Regionspsykiatrien answers around the clock (seed 003), so it is always open now.
    assert "7847 0470" in open_now.locator("ul.pub-lines").first.inner_text()
    assert citizen.locator("a[href='tel:24900911']").count() == 1  # Randers' night line
    shot(citizen, "public_municipality.png")
    # The directory's own "Hvem kan hjælpe nu?" page is one link away.
    citizen.click("a[href='/hvem-kan-hjaelpe/?kommune=730']")
    assert "7847 0470" in citizen.content()


@pytest.mark.django_db(transaction=True)
def test_citizen_self_registers_on_the_incident_page_in_arabic(live_server, citizen, page):
    ar = content.language("ar").ui
    citizen.goto(f"{live_server.url}/hjaelp/da/h/{page.slug}/")
    citizen.click("nav.pub-langs a[lang=ar]")
    citizen.wait_for_url(f"**/hjaelp/ar/h/{page.slug}/")
    assert citizen.locator("html").get_attribute("dir") == "rtl"
    assert citizen.locator("#reg-h").inner_text() == ar["selfreg_heading"]
    citizen.get_by_label(ar["field_name"]).fill("أمل حداد")
    citizen.get_by_label(ar["field_phone"]).fill("+45 20 30 40 50")
    citizen.get_by_label(ar["field_postcode"]).fill("8900")
    citizen.get_by_label(ar["relation_witness"]).check()
    citizen.get_by_label(ar["field_children"]).check()
    # Submitting without consent shows the error in Arabic and keeps what was typed.
    citizen.click("button.pub-button")
    assert ar["error_consent"] in citizen.locator("#e-consent").inner_text()
    assert citizen.get_by_label(ar["field_name"]).input_value() == "أمل حداد"
    citizen.get_by_label(ar["consent_label"]).check()
    shot(citizen, "public_selfreg_ar.png")
    citizen.click("button.pub-button")
    citizen.wait_for_url(re.compile(rf".*/hjaelp/ar/h/{page.slug}/tak/(#selfreg)?$"))
    assert citizen.locator("h1").inner_text() == ar["thanks_title"]
    item = SelfRegistration.objects.get()
    assert (item.full_name, item.language, item.relation, item.status) == (
        "أمل حداد", "ar", "witness", "pending")
    assert item.children_affected and item.consent_text == ar["consent_text"]
    assert not Registration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_staff_member_confirms_a_self_registration(live_server, browser, login, registrar,
                                                   page):
    item = services.submit_self_registration(page=page, data={**VALID, "full_name": "Amal Haddad"},
                                             language="ar", ip="203.0.113.5")
    with browser_page(browser, width=768, height=1024) as staff:
        confirm_in_queue(live_server, staff, login, page)
    item.refresh_from_db()
    registration = Registration.objects.get(pk=item.registration_id)
    assert item.status == "confirmed" and item.decided_by == registrar
    assert registration.point.kind == PointKind.SELF and registration.full_name == "Amal Haddad"


def confirm_in_queue(live_server, staff, login, page) -> None:
    login(staff, "registrar")
    staff.goto(f"{live_server.url}/incidents/{page.incident.pk}/")
    staff.click(f"a[href='/self-registrations/?incident={page.incident.pk}']")
    card = staff.locator("article.selfreg")
    assert card.count() == 1 and "Amal Haddad" in card.inner_text()
    assert "العربية" in card.inner_text()
    shot(staff, "staff_queue.png")
    card.locator("button[value=confirm]").click()
    staff.wait_for_load_state()
    assert staff.locator("article.selfreg").count() == 0


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("lang", content.LANGUAGES)
def test_public_pages_have_no_serious_or_critical_axe_violations(
        live_server, checker, axe_source, page, lang):
    citizen = checker
    load_seed_003()
    base = f"{live_server.url}/hjaelp/{lang}"
    urls = [f"{base}/", f"{base}/reactions/", f"{base}/children/", f"{base}/get-help/",
            f"{base}/kommune/730/", f"{base}/h/{page.slug}/", f"{base}/h/{page.slug}/tak/"]
    found = {}
    for url in urls:
        citizen.goto(url)
        found[url] = serious_violations(citizen, axe_source)
    # The incident page with form errors shown.
    citizen.goto(f"{base}/h/{page.slug}/")
    citizen.click("button.pub-button")
    found["form errors"] = serious_violations(citizen, axe_source)
    if lang == "ar":
        shot(citizen, "public_errors_ar.png")
    assert {url: v for url, v in found.items() if v} == {}


def test_under_load_the_page_solves_the_challenge_unnoticed(live_server, browser, page,
                                                            settings):
    """A phone with JavaScript: the script solves the proof of work while the person
    types, and Send goes through (default difficulty). Without JavaScript the same form
    is refused kindly under load (tests/public/test_abuse_guards.py)."""
    settings.PUBLIC_SELFREG_CHALLENGE_AFTER = 0  # always under load
    da = content.language("da").ui
    with browser_page(browser, width=390, height=844) as phone:
        phone.goto(f"{live_server.url}/hjaelp/da/h/{page.slug}/")
        phone.get_by_label(da["field_name"]).fill("Anna Holm")
        phone.get_by_label(da["field_phone"]).fill("+45 20 30 40 50")
        phone.get_by_label(da["relation_witness"]).check()
        phone.get_by_label(da["consent_label"]).check()
        phone.click("button.pub-button")
        phone.wait_for_url(re.compile(rf".*/hjaelp/da/h/{page.slug}/tak/(#selfreg)?$"),
                           timeout=60_000)
    assert SelfRegistration.objects.get().full_name == "Anna Holm"
