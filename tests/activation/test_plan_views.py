"""Pages for managing plans, roles, role holders and action cards: what each role sees,
forms with Danish errors, confirmation before removing, HTMX fragments."""

import pytest
from django.urls import reverse

from beredt.activation.models import ActionCard, Plan, PlanRole, PlanRoleHolder


def _url(name, **kwargs):
    return reverse(f"activation:{name}", kwargs=kwargs)


def _plan_form(planners, **extra):
    return {
        "organisation": planners.orgs.psych.pk,
        "title": "Stor ulykke",
        "ack_timeout_minutes": 5,
        "step_1": "kop",
        "step_2": "al",
        **extra,
    }


# --- What is shown to whom -----------------------------------------------------------------
def test_manager_sees_management_on_plan_and_home(planners, client):
    client.force_login(planners.lead)
    page = client.get(_url("plan", plan_id=planners.plan.pk)).content.decode()
    assert _url("plan_edit", plan_id=planners.plan.pk) in page
    assert _url("role_create", plan_id=planners.plan.pk) in page
    assert _url("role_remove", plan_id=planners.plan.pk, role_id=planners.role.pk) in page
    assert _url("holder_add", plan_id=planners.plan.pk, role_id=planners.role.pk) in page
    assert "Rediger plan" in page and "Udpeg" in page
    home = client.get(_url("home")).content.decode()
    assert _url("plan_create") in home and _url("card_create") in home


@pytest.mark.parametrize("who", ["kop", "member", "outsider", "al_b"])
def test_others_see_no_management(planners, client, who):
    client.force_login(getattr(planners, who))
    page = client.get(_url("plan", plan_id=planners.plan.pk)).content.decode()
    assert "/edit/" not in page and "/remove/" not in page and "/holders/" not in page
    # AL of Afd. B may create plans for Afd. B, just not change the region's plan.
    can_create = who == "al_b"
    assert (_url("plan_create") in client.get(_url("home")).content.decode()) is can_create


def test_holders_are_shown_inside_the_organisation_tree_only(planners, client):
    PlanRoleHolder.objects.create(role=planners.role, user=planners.kop)
    client.force_login(planners.member)
    assert "Karen" in client.get(_url("plan", plan_id=planners.plan.pk)).content.decode()
    client.force_login(planners.outsider)
    assert "Karen" not in client.get(_url("plan", plan_id=planners.plan.pk)).content.decode()


@pytest.mark.parametrize("who", ["kop", "member", "outsider"])
def test_management_pages_are_403_for_others(planners, client, who):
    card = ActionCard.objects.create(
        code="C-BUR",
        title="C",
        duty_role="crisis_team",
        organisation=planners.orgs.psych,
        items=["a"],
    )
    client.force_login(getattr(planners, who))
    plan, role = planners.plan.pk, planners.role.pk
    for url in [
        _url("plan_create"),
        _url("plan_edit", plan_id=plan),
        _url("plan_delete", plan_id=plan),
        _url("role_create", plan_id=plan),
        _url("role_edit", plan_id=plan, role_id=role),
        _url("role_remove", plan_id=plan, role_id=role),
        _url("card_create"),
        _url("card_edit", card_id=card.pk),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.post(_url("role_remove", plan_id=plan, role_id=role)).status_code == 403
    assert (
        client.post(
            _url("holder_add", plan_id=plan, role_id=role), {"user": planners.kop.pk}
        ).status_code
        == 403
    )
    assert PlanRole.objects.filter(pk=role).exists()
    assert client.get(_url("card", card_id=card.pk)).status_code == 200


def test_unknown_ids_are_404(planners, client):
    client.force_login(planners.lead)
    assert client.get(_url("plan_edit", plan_id=999999)).status_code == 404
    assert (
        client.get(_url("role_edit", plan_id=planners.plan.pk, role_id=999999)).status_code == 404
    )
    assert client.get(_url("card", card_id=999999)).status_code == 404


def test_empty_states(planners, client):
    Plan.objects.all().delete()
    client.force_login(planners.lead)
    assert "Ingen planer endnu" in client.get(_url("home")).content.decode()
    plan = Plan.objects.create(organisation=planners.orgs.psych, title="Tom")
    page = client.get(_url("plan", plan_id=plan.pk)).content.decode()
    assert "Planen har ingen roller endnu" in page and "Ingen action cards" in page


# --- Plans ---------------------------------------------------------------------------------
def test_create_plan_from_the_form(planners, client):
    client.force_login(planners.lead)
    form = client.get(_url("plan_create") + f"?organisation={planners.orgs.psych.pk}")
    assert form.status_code == 200 and "Eskaleringstrin 1" in form.content.decode()
    r = client.post(
        _url("plan_create"),
        _plan_form(planners, activating_organisations=[planners.orgs.kommune.pk]),
    )
    plan = Plan.objects.get(title="Stor ulykke")
    assert r.status_code == 302 and r["Location"] == _url("plan", plan_id=plan.pk)
    assert plan.escalation == ["kop", "al"] and plan.ack_timeout_seconds == 300
    assert list(plan.activating_organisations.all()) == [planners.orgs.kommune]


def test_plan_form_errors_are_danish(planners, client):
    client.force_login(planners.lead)
    r = client.post(_url("plan_create"), _plan_form(planners, title="", step_1=""))
    assert r.status_code == 400
    assert "Dette felt er påkrævet." in r.content.decode()
    r = client.post(_url("plan_create"), _plan_form(planners, title="Psykosocialt beredskab"))
    assert r.status_code == 400
    assert "Der findes allerede en med titlen" in r.content.decode()
    r = client.post(_url("plan_create"), _plan_form(planners, step_2="kop"))
    assert r.status_code == 400 and "kun være ét trin" in r.content.decode()
    # An organisation the user does not manage is not offered.
    r = client.post(
        _url("plan_create"), _plan_form(planners, organisation=planners.orgs.kommune.pk)
    )
    assert r.status_code == 400 and not Plan.objects.filter(title="Stor ulykke").exists()


def test_edit_and_delete_plan_with_confirmation(planners, client):
    client.force_login(planners.hl)
    url = _url("plan_edit", plan_id=planners.plan.pk)
    assert 'value="Psykosocialt beredskab"' in client.get(url).content.decode()
    r = client.post(url, _plan_form(planners, title="Nyt navn", step_3="hl"))
    assert r.status_code == 302
    planners.plan.refresh_from_db()
    assert planners.plan.title == "Nyt navn" and planners.plan.escalation == ["kop", "al", "hl"]
    delete = _url("plan_delete", plan_id=planners.plan.pk)
    assert "Slet planen" in client.get(delete).content.decode()
    assert Plan.objects.filter(pk=planners.plan.pk).exists()
    assert client.post(delete)["Location"] == _url("home")
    assert not Plan.objects.filter(pk=planners.plan.pk).exists()


# --- Roles and holders ---------------------------------------------------------------------
def test_add_and_edit_role(planners, client):
    client.force_login(planners.lead)
    r = client.post(
        _url("role_create", plan_id=planners.plan.pk),
        {"duty_role": "crisis_team", "title": "Kriseteam", "organisation": planners.orgs.dept_a.pk},
    )
    assert r.status_code == 302
    role = planners.plan.roles.get(title="Kriseteam")
    r = client.post(
        _url("role_edit", plan_id=planners.plan.pk, role_id=role.pk),
        {"duty_role": "crisis_team", "title": "KOP Afd. A", "order": 3},
    )
    assert r.status_code == 400 and "Der findes allerede en med titlen" in r.content.decode()


def test_remove_role_asks_first(planners, client):
    client.force_login(planners.lead)
    url = _url("role_remove", plan_id=planners.plan.pk, role_id=planners.role.pk)
    page = client.get(url).content.decode()
    assert "Fjern rollen “KOP Afd. A” fra planen?" in page and 'method="post"' in page
    assert PlanRole.objects.filter(pk=planners.role.pk).exists()
    assert client.post(url)["Location"] == _url("plan", plan_id=planners.plan.pk)
    assert not PlanRole.objects.filter(pk=planners.role.pk).exists()


def test_appoint_and_release_by_htmx(planners, client):
    client.force_login(planners.lead)
    add = _url("holder_add", plan_id=planners.plan.pk, role_id=planners.role.pk)
    r = client.post(add, {"user": planners.kop.pk}, HTTP_HX_REQUEST="true")
    fragment = r.content.decode()
    assert r.status_code == 200 and fragment.lstrip().startswith(
        f'<div id="holders-{planners.role.pk}"'
    )
    assert "Karen" in fragment and "<html" not in fragment
    assert PlanRoleHolder.objects.filter(role=planners.role, user=planners.kop).exists()
    # Not a member of the department: the fragment says why, in Danish.
    r = client.post(add, {"user": planners.outsider.pk}, HTTP_HX_REQUEST="true")
    assert "Vælg en person fra listen." in r.content.decode()
    remove = _url(
        "holder_remove", plan_id=planners.plan.pk, role_id=planners.role.pk, user_id=planners.kop.pk
    )
    r = client.post(remove, HTTP_HX_REQUEST="true")
    assert "Ingen har rollen." in r.content.decode()
    assert not PlanRoleHolder.objects.exists()


def test_appoint_without_htmx_redirects_back(planners, client):
    client.force_login(planners.lead)
    add = _url("holder_add", plan_id=planners.plan.pk, role_id=planners.role.pk)
    r = client.post(add, {"user": planners.member.pk}, follow=True)
    assert r.redirect_chain[-1][0] == _url("plan", plan_id=planners.plan.pk)
    assert "Personen har nu rollen." in r.content.decode()


# --- Action cards --------------------------------------------------------------------------
def test_create_card_then_publish_a_new_version(planners, client):
    client.force_login(planners.lead)
    r = client.post(
        _url("card_create"),
        {
            "organisation": planners.orgs.psych.pk,
            "code": "KT-EPC",
            "title": "Kriseteam på EPC",
            "duty_role": "crisis_team",
            "items": "Meld ankomst\n\n  Skab ro  \n",
        },
    )
    v1 = ActionCard.objects.get(code="KT-EPC")
    assert r["Location"] == _url("card", card_id=v1.pk) and v1.items == ["Meld ankomst", "Skab ro"]
    edit = _url("card_edit", card_id=v1.pk)
    assert "Meld ankomst\nSkab ro" in client.get(edit).content.decode()
    r = client.post(edit, {"title": v1.title, "duty_role": "crisis_team", "items": "Meld ankomst"})
    v2 = ActionCard.objects.get(code="KT-EPC", is_current=True)
    assert v2.version == 2 and r["Location"] == _url("card", card_id=v2.pk)
    old = client.get(_url("card", card_id=v1.pk)).content.decode()
    assert "Skab ro" in old and "tidligere version" in old and _url("card", card_id=v2.pk) in old
    # Editing the old version again would overwrite version 2: refused, in Danish.
    r = client.post(edit, {"title": "X", "duty_role": "crisis_team", "items": "Y"})
    assert r.status_code == 400 and "nyere version" in r.content.decode()


def test_card_form_errors_are_danish(planners, client):
    client.force_login(planners.lead)
    r = client.post(
        _url("card_create"),
        {
            "organisation": planners.orgs.psych.pk,
            "code": "X",
            "title": "T",
            "duty_role": "kop",
            "items": " \n ",
        },
    )
    assert r.status_code == 400 and "Dette felt er påkrævet." in r.content.decode()
    card = ActionCard.objects.create(
        code="C-BUR",
        title="C",
        duty_role="crisis_team",
        organisation=planners.orgs.psych,
        items=["a"],
    )
    r = client.post(
        _url("card_edit", card_id=card.pk), {"title": "C", "duty_role": "crisis_team", "items": "a"}
    )
    assert r.status_code == 400 and "Intet er ændret" in r.content.decode()


# --- In a real browser (HTMX, tablet size) -------------------------------------------------
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_appoint_in_place_on_a_tablet(planners, page, login, live_server, tmp_path):
    page.set_viewport_size({"width": 820, "height": 1180})
    login(page, "lead")
    page.goto(f"{live_server.url}{_url('plan', plan_id=planners.plan.pk)}")
    cell = f"#holders-{planners.role.pk}"
    page.select_option(f"{cell} select[name=user]", str(planners.kop.pk))
    page.click(f"{cell} button[type=submit]")
    page.wait_for_selector(f"{cell} li")
    assert "Karen" in page.inner_text(cell)
    assert PlanRoleHolder.objects.filter(role=planners.role, user=planners.kop).exists()
    page.screenshot(path=tmp_path / "plan.png", full_page=True)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click(f"{cell} li button")
    page.wait_for_selector(f"{cell} li", state="detached")
    assert not PlanRoleHolder.objects.exists()
    page.goto(f"{live_server.url}{_url('plan_edit', plan_id=planners.plan.pk)}")
    page.screenshot(path=tmp_path / "plan_edit.png", full_page=True)
