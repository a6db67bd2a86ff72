"""The support tool in a real browser on a tablet: the crisis conversation guide saved
as a note on a registration, and a self-test."""

import pytest

from beredt.support.models import GuideNote, QuizAttempt
from tests.public.browser import browser_page, shot

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def _committed_data(transactional_db):
    """A live server reads committed data; the root conftest restores the reference data
    after the flush that ends each of these tests."""


@pytest.fixture
def tablet(browser):
    with browser_page(browser, width=768, height=1024) as page:
        yield page


@pytest.mark.django_db(transaction=True)
def test_registrar_holds_the_crisis_conversation_and_saves_it(live_server, tablet, login,
                                                              registration):
    login(tablet, "registrar")
    tablet.goto(f"{live_server.url}/support/guide/")
    tablet.fill("#guide-q", "Jens")
    tablet.click("form.filters button")
    tablet.click("text=Jens Jensen")
    tablet.wait_for_url(f"**/support/guide/{registration.pk}/")
    tablet.get_by_label("Hvordan har du sovet de sidste døgn?").check()
    tablet.get_by_label("Er du alene?").check()
    tablet.fill("#n-crisis", "Har ikke sovet siden ulykken.")
    tablet.get_by_label("Har du familie?").check()
    tablet.fill("#plan", "Datteren kommer i aften. Ringer til egen læge i morgen.")
    tablet.check("input[name=contact_again][value=yes]")
    shot(tablet, "support_guide.png")
    tablet.click("text=Gem som note på registreringen")
    tablet.wait_for_url("**/support/notes/*/")
    body = tablet.locator("main").inner_text()
    assert "Hvordan har du sovet de sidste døgn?" in body
    assert "Datteren kommer i aften." in body and "Jens Jensen" in body
    note = GuideNote.objects.get()
    assert note.registration_id == registration.pk


@pytest.mark.django_db(transaction=True)
def test_staff_member_takes_a_self_test(live_server, tablet, login, make_user):
    make_user("trainee")
    login(tablet, "trainee")
    tablet.goto(f"{live_server.url}/support/")
    tablet.click("text=Selvtest: kommunalt kriseteam")
    for fieldset in tablet.locator("main fieldset").all():
        fieldset.locator("input[type=radio]").nth(1).check()  # the right answer is the 2nd
    tablet.click("text=Se mit resultat")
    assert tablet.locator(".result .stat").inner_text() == "5/5"
    shot(tablet, "support_quiz.png")
    assert QuizAttempt.objects.get().passed
