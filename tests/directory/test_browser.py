"""The public page in a real browser: a phone, no JavaScript."""


import pytest

from beredt.directory.services import load_seed_003

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_help_now_on_a_phone_without_javascript(live_server, browser, tmp_path):
    load_seed_003()
    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="da-DK",
                                  java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/hvem-kan-hjaelpe/")
        assert page.inner_text("h1") == "Hvem kan hjælpe nu?"
        page.select_option("#kommune", "706")
        page.click("form.pick button[type=submit]")
        page.wait_for_selector("#now-title")
        assert "Syddjurs" in page.inner_text("#now-title")
        # The region's patient line answers at any hour; it is always listed.
        assert "7847 0470" in page.content()
        # Nothing wider than the phone: no horizontal scrolling.
        for selector in ("main", "ul.lines >> nth=0", ".line-phone >> nth=0"):
            box = page.locator(selector).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375
        page.screenshot(path=str(tmp_path / "help-now-phone.png"), full_page=True)

        page.fill("#postnummer", "2750")
        page.select_option("#kommune", "")
        page.click("form.pick button[type=submit]")
        page.wait_for_selector("text=dækker flere kommuner")
        page.click("text=Ballerup Kommune")
        page.wait_for_selector("#now-title")
        assert "Ballerup" in page.inner_text("#now-title")
    finally:
        context.close()
