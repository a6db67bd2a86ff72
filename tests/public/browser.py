"""Helpers shared by the browser tests of the public site and the support tool."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"  # screenshots (git-ignored)


@contextmanager
def browser_page(browser, *, width: int, height: int, **options):
    context = browser.new_context(viewport={"width": width, "height": height},
                                  locale="da-DK", **options)
    try:
        yield context.new_page()
    finally:
        context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)
