"""Screenshots of the staff UI for the user guide and for looking at pages.

    .venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 docs/screenshots

Needs a running server with demo data (make demo) and Debian's Chromium.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PASSWORD = "beredt-demo-2026"  # noqa: S105 - the printed demo password
ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run"]

PAGES = [
    # (who, path, file name)
    (None, "/accounts/login/", "login"),
    ("kop", "/", "dashboard"),
    ("kop", "/incidents/", "incidents"),
    ("kop", "/incidents/new/", "incident-new"),
    ("kop", "/organisations/", "organisations"),
    ("dpo", "/audit/", "audit-log"),
]


def main(base: str, out: Path, width: int = 1024) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        sessions = {}
        for who, path, name in PAGES:
            if who not in sessions:
                context = browser.new_context(
                    viewport={"width": width, "height": 900}, locale="da-DK"
                )
                page = context.new_page()
                if who:
                    page.goto(f"{base}/accounts/login/")
                    page.fill("input[name=username]", who)
                    page.fill("input[name=password]", PASSWORD)
                    page.click("main button[type=submit]")
                    page.wait_for_load_state()
                sessions[who] = page
            page = sessions[who]
            page.goto(f"{base}{path}")
            if name == "incidents":
                first = page.query_selector("table a")
                if first:
                    page.screenshot(path=str(out / f"{name}.png"), full_page=True)
                    first.click()
                    page.wait_for_load_state()
                    name = "incident-detail"
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 1024)
