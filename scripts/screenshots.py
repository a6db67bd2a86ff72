"""Screenshots of the staff UI for the user guide and for looking at pages.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 docs/screenshots

The user guide (docs/user-guide.md) shows these pictures; run it again after UI changes.

Needs a running server with demo data (make demo) and Debian's Chromium.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "beredt-demo-2026"  # noqa: S105 - the printed demo password
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"]

PAGES = [
    # (who, path, file name); {incident} is the demo exercise, {person} its first person
    (None, "/accounts/login/", "login"),
    ("kop", "/", "dashboard"),
    ("kop", "/incidents/", "incidents"),
    ("kop", "/incidents/{incident}/", "incident-detail"),
    ("kop", "/incidents/new/", "incident-new"),
    ("kop", "/activation/", "activation"),
    ("kop", "/activation/incidents/{incident}/", "activation-board"),
    ("kop", "/activation/roster/", "activation-roster"),
    ("kop", "/activation/training/", "activation-training"),
    ("registrator", "/registry/incidents/{incident}/", "registry-list"),
    ("registrator", "/registry/incidents/{incident}/new/", "registry-new"),
    ("registrator", "/registry/people/{person}/", "registry-person"),
    ("kop", "/followup/", "followup"),
    ("kop", "/followup/incident/{incident}/", "followup-incident"),
    ("opfolgning", "/followup/", "followup-receiver"),
    ("kop", "/directory/", "directory"),
    ("kop", "/directory/kontaktark/730/", "contact-sheet"),
    (None, "/hvem-kan-hjaelpe/?kommune=730", "who-answers-now"),
    (None, "/hjaelp/da/", "public-help"),
    ("kop", "/support/", "support"),
    ("kop", "/support/guide/", "support-guide"),
    ("kop", "/self-registrations/", "self-registrations"),
    ("kop", "/organisations/", "organisations"),
    ("dpo", "/audit/", "audit-log"),
]


def _login(page, base: str, who: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def _demo_ids(page, base: str) -> dict[str, str]:
    """The demo exercise and its first registered person, read from the pages."""
    page.goto(f"{base}/incidents/")
    link = page.get_attribute("table a[href^='/incidents/']", "href") or ""
    ids = {"incident": link.strip("/").split("/")[-1]}
    page.goto(f"{base}/registry/incidents/{ids['incident']}/")
    person = page.get_attribute("a[href^='/registry/people/']", "href") or ""
    ids["person"] = person.strip("/").split("/")[-1]
    return ids


def main(base: str, out: Path, width: int = 1024) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        sessions = {}
        ids: dict[str, str] = {}
        for who, path, name in PAGES:
            if who not in sessions:
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, locale="da-DK"
                )
                sessions[who] = context.new_page()
                if who:
                    _login(sessions[who], base, who)
                    ids = ids or _demo_ids(sessions[who], base)
            page = sessions[who]
            page.goto(f"{base}{path.format(**ids)}")
            # JPEG keeps the user guide's pictures small in the repository.
            page.screenshot(path=str(out / f"{name}.jpg"), full_page=True, quality=70)
            print(out / f"{name}.jpg")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1024)
