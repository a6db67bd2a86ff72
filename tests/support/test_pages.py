"""Support tool pages: login required, checklists by role, action cards, printables."""

import pytest

from beredt.organisations.models import Role


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/support/", "/support/checklists/", "/support/guide/",
                                 "/support/print/", "/support/training/",
                                 "/support/reference/referral/"])
def test_login_required(client, url):
    assert client.get(url).headers["Location"].startswith("/accounts/login/")


def test_home_marks_my_role_and_lists_everything(client, make_user, orgs):
    client.force_login(make_user(roles=[(orgs.centre, Role.CRISIS_TEAM)]))
    body = client.get("/support/").content.decode()
    assert "Kommunalt kriseteam: når du bliver kaldt ud" in body
    assert "/support/quiz/kop/" in body and "/support/print/" in body
    checklists = client.get("/support/checklists/").content.decode()
    assert 'card mine" id="crisis_team"' in checklists
    assert 'card" id="kop"' in checklists


def test_english_staff_ui_uses_the_english_texts(client, make_user):
    client.force_login(make_user())
    client.cookies["beredt_language"] = "en"
    body = client.get("/support/checklists/").content.decode()
    assert "Municipal crisis team: when you are called out" in body


def test_action_cards_of_the_activation_app_are_shown(client, make_user, orgs):
    from beredt.activation.models import ActionCard

    ActionCard.objects.create(code="KT-EPC", title="Kriseteammedlem på EPC",
                              duty_role="crisis_team", organisation=orgs.psych,
                              items=["Meld ankomst til KOP"])
    client.force_login(make_user(roles=[(orgs.dept_a, Role.CRISIS_TEAM)]))
    body = client.get("/support/checklists/").content.decode()
    assert "KT-EPC" in body and "Meld ankomst til KOP" in body


def test_reference_page_404(client, make_user):
    client.force_login(make_user())
    assert client.get("/support/reference/nope/").status_code == 404


def test_menu_has_the_support_tool(client, make_user):
    client.force_login(make_user())
    body = client.get("/support/").content.decode()
    assert 'href="/support/" aria-current="page">Støtteværktøj</a>' in body
