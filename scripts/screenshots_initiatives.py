"""Screenshots of the budget initiatives for docs/initiatives.md, walking the demo through
the seed's story: the check finds the tryghedspakke's unexplained 400.000 kr. a year, a Q3
report is refused with the missing statuses listed, the controller explains the difference,
the secretary generates the Q2 paper, a committee member reads the timeline.

    .venv/bin/python scripts/screenshots_initiatives.py http://127.0.0.1:8118 docs/screenshots

Needs a running server with fresh demo data (``beredt loaddemo``) and Debian's Chromium;
changes the demo data (an explanation and a generated report).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "beredt-demo-2026"  # noqa: S105 - the printed demo password
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"]
EXPLANATION = ("Anbefalingerne er udmøntet med 3,4 mio. kr. årligt; de 400.000 kr. ud over "
               "tryghedspakken fra 2025 dækkes af Region Hovedstadens Psykiatris egen ramme.")


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)

        def session(who, width=1280):
            context = browser.new_context(viewport={"width": width, "height": 900},
                                          locale="da-DK")
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", who)
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_load_state()
            return page

        def shot(page, name, *, full=True):
            page.screenshot(path=str(out / f"{name}.jpg"), full_page=full, quality=70)

        controller = session("controller")
        controller.goto(f"{base}/initiatives/")
        shot(controller, "initiatives")
        controller.click("text=1. Tryghedspakke (Psykiatri)")
        initiative_url = controller.url
        shot(controller, "initiatives-check")
        committee = controller.get_attribute("a[href*='/initiatives/committee/']", "href")
        href = controller.get_attribute("a[href*='/status/2024Q3/']", "href")
        controller.goto(base + href)
        shot(controller, "initiatives-status")

        secretary = session("udvalgssekretaer")
        secretary.goto(f"{base}{committee}?quarter=2024Q3&format=pdf")
        shot(secretary, "initiatives-report-refused")

        controller.goto(initiative_url)
        for year in (2025, 2026, 2027):
            controller.fill(f"textarea[name=y{year}-explanation]", EXPLANATION)
            controller.click(f"form[action$='/explain/{year}/'] button")
            controller.wait_for_load_state()

        secretary.goto(f"{base}{committee}?quarter=2024Q2&format=pdf")
        secretary.click("text=Dan rapporten")
        secretary.wait_for_load_state()
        link = secretary.get_attribute("table a[href^='/initiatives/report/']", "href")
        Path("var/initiatives-report-2024Q2.pdf").write_bytes(
            secretary.request.get(base + link).body())
        secretary.goto(f"{base}{committee}?quarter=2024Q2&format=docx")
        secretary.click("text=Dan rapporten")
        secretary.wait_for_load_state()
        shot(secretary, "initiatives-committee-secretary")

        member = session("udvalgsmedlem")
        member.goto(base + committee)
        shot(member, "initiatives-committee-member")
        phone = session("udvalgsmedlem", width=390)
        phone.goto(base + committee)
        shot(phone, "initiatives-committee-phone", full=False)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
