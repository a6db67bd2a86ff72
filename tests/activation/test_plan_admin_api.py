"""Managing plans, roles, role holders and action cards through the API: who may, bad
input (4xx, never 5xx), idempotent creates, the audit log."""

import uuid

import pytest

from beredt.activation.models import ActionCard, Plan, PlanRole, PlanRoleHolder
from beredt.core.models import AuditEvent

API = "/api/v1/activation"


@pytest.fixture
def call(api_client):
    """``call(user, method, path, body=None)`` → response (JSON body)."""

    def do(user, method, path, body=None):
        client = api_client(user)
        return getattr(client, method)(f"{API}{path}", body, content_type="application/json")

    return do


def _plan_body(planners, **extra):
    return {"organisation_id": planners.orgs.psych.pk, "title": "Stor ulykke", **extra}


def _audited(obj, action) -> bool:
    return AuditEvent.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action=action
    ).exists()


# --- Plans ---------------------------------------------------------------------------------
def test_preparedness_lead_creates_plan_with_defaults_and_audit(planners, call):
    r = call(
        planners.lead,
        "post",
        "/plans",
        _plan_body(
            planners,
            escalation=["kop", "al"],
            ack_timeout_seconds=120,
            activating_organisation_ids=[planners.orgs.kommune.pk],
        ),
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["escalation"] == ["kop", "al"] and body["ack_timeout_seconds"] == 120
    assert body["activating_organisation_ids"] == [planners.orgs.kommune.pk]
    assert _audited(Plan.objects.get(pk=body["id"]), "create")


def test_create_is_idempotent_on_client_id(planners, call):
    client_id = str(uuid.uuid4())
    first = call(planners.lead, "post", "/plans", _plan_body(planners, client_id=client_id))
    again = call(
        planners.lead, "post", "/plans", _plan_body(planners, client_id=client_id, title="Andet")
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and again.json()["title"] == "Stor ulykke"
    assert Plan.objects.filter(title="Andet").count() == 0
    stranger = call(
        planners.al_b,
        "post",
        "/plans",
        {"organisation_id": planners.orgs.dept_b.pk, "title": "B", "client_id": client_id},
    )
    assert stranger.status_code == 409 and stranger.json()["code"] == "client_id_taken"


@pytest.mark.parametrize("who", ["kop", "member", "outsider", "al_b"])
def test_others_cannot_create_change_or_delete_the_plan(planners, call, who):
    user = getattr(planners, who)
    created = call(user, "post", "/plans", _plan_body(planners))
    assert created.status_code == 403 and created.json()["code"] == "forbidden"
    changed = call(user, "put", f"/plans/{planners.plan.pk}", {"title": "Nyt navn"})
    assert changed.status_code == 403
    assert call(user, "delete", f"/plans/{planners.plan.pk}").status_code == 403
    planners.plan.refresh_from_db()
    assert planners.plan.title == "Psykosocialt beredskab"


def test_al_manages_plans_of_own_department_only(planners, call):
    r = call(
        planners.al_b, "post", "/plans", {"organisation_id": planners.orgs.dept_b.pk, "title": "B"}
    )
    assert r.status_code == 201


def test_superuser_may_do_everything(planners, call):
    r = call(
        planners.root, "post", "/plans", {"organisation_id": planners.orgs.centre.pk, "title": "C"}
    )
    assert r.status_code == 201


def test_anonymous_is_401(planners, api_client):
    r = api_client().post(f"{API}/plans", _plan_body(planners), content_type="application/json")
    assert r.status_code == 401


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"title": 123}, 422, "title"),
        ({"title": ""}, 422, "title"),
        ({"title": "   "}, 422, "title"),
        ({"title": "A\x00B"}, 422, "title"),
        ({"ack_timeout_seconds": "fem"}, 422, "ack_timeout_seconds"),
        ({"ack_timeout_seconds": 5}, 422, "ack_timeout_seconds"),
        ({"escalation": []}, 422, "escalation"),
        ({"escalation": ["boss"]}, 422, "escalation.0"),
        ({"escalation": ["kop", "kop"]}, 422, "escalation"),
        ({"webhook_url": "ftp://x"}, 422, "webhook_url"),
        ({"activating_organisation_ids": [999999]}, 404, "activating_organisation_ids"),
        ({"activating_organisation_ids": "1"}, 422, "activating_organisation_ids"),
        ({"organisation_id": 999999}, 404, None),
        ({"organisation_id": 10**30}, 404, None),  # out of range: nothing found
        ({"organisation_id": "abc"}, 422, "organisation_id"),
    ],
)
def test_bad_plan_input_is_4xx_with_detail_and_code(planners, call, body, status, field):
    r = call(planners.lead, "post", "/plans", _plan_body(planners, **body))
    assert r.status_code == status, r.content
    data = r.json()
    assert data["detail"] and data["code"]
    if field:
        assert data.get("field") == field


def test_duplicate_title_is_409(planners, call):
    r = call(planners.lead, "post", "/plans", _plan_body(planners, title="Psykosocialt beredskab"))
    assert r.status_code == 409 and r.json()["code"] == "title_taken"


def test_put_replaces_plan_and_is_audited(planners, call):
    r = call(
        planners.hl,
        "put",
        f"/plans/{planners.plan.pk}",
        {"title": "Nyt navn", "summary": "Formål", "escalation": ["kop", "hl"]},
    )
    assert r.status_code == 200, r.content
    planners.plan.refresh_from_db()
    assert planners.plan.title == "Nyt navn" and planners.plan.escalation == ["kop", "hl"]
    event = AuditEvent.objects.get(
        object_type="activation.plan", object_id=str(planners.plan.pk), action="update"
    )
    assert {"title", "summary", "escalation"} <= set(event.fields)


def test_unknown_plan_is_404(planners, call):
    assert call(planners.lead, "put", "/plans/999999", {"title": "X"}).status_code == 404
    assert call(planners.lead, "delete", "/plans/999999").status_code == 404
    assert call(planners.lead, "get", "/plans/999999/roles/1/holders").status_code == 404


def test_delete_plan_removes_roles(planners, call):
    assert call(planners.lead, "delete", f"/plans/{planners.plan.pk}").status_code == 204
    assert not PlanRole.objects.filter(pk=planners.role.pk).exists()
    assert AuditEvent.objects.filter(object_type="activation.plan", action="delete").exists()


# --- Roles ---------------------------------------------------------------------------------
def test_add_change_and_remove_role(planners, call):
    path = f"/plans/{planners.plan.pk}/roles"
    r = call(
        planners.lead,
        "post",
        path,
        {
            "duty_role": "crisis_team",
            "title": "Kriseteam Afd. A",
            "organisation_id": planners.orgs.dept_a.pk,
        },
    )
    assert r.status_code == 201, r.content
    role = r.json()
    assert role["order"] == planners.role.order + 1
    assert [
        x["title"]
        for x in call(planners.member, "get", f"/plans/{planners.plan.pk}").json()["roles"]
    ] == [
        "KOP Afd. A",
        "Kriseteam Afd. A",
    ]
    r = call(
        planners.lead,
        "put",
        f"{path}/{role['id']}",
        {"duty_role": "crisis_team", "title": "Kriseteam", "description": "Omsorg", "order": 0},
    )
    assert r.status_code == 200 and r.json()["description"] == "Omsorg"
    assert call(planners.lead, "delete", f"{path}/{role['id']}").status_code == 204
    assert not PlanRole.objects.filter(pk=role["id"]).exists()
    actions = set(
        AuditEvent.objects.filter(
            object_type="activation.planrole", object_id=str(role["id"])
        ).values_list("action", flat=True)
    )
    assert actions == {"create", "update", "delete"}


def test_role_create_is_idempotent_on_client_id(planners, call):
    body = {"duty_role": "al", "title": "AL", "client_id": str(uuid.uuid4())}
    path = f"/plans/{planners.plan.pk}/roles"
    first, again = call(planners.lead, "post", path, body), call(planners.lead, "post", path, body)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    other = Plan.objects.create(organisation=planners.orgs.psych, title="Andet")
    elsewhere = call(planners.lead, "post", f"/plans/{other.pk}/roles", body)
    assert elsewhere.status_code == 409 and elsewhere.json()["code"] == "client_id_taken"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"duty_role": "boss", "title": "X"}, 422, "validation_error"),
        ({"duty_role": "kop"}, 422, "validation_error"),
        ({"duty_role": "kop", "title": "KOP Afd. A"}, 409, "title_taken"),
        ({"duty_role": "kop", "title": "X", "organisation_id": "kommune"}, 422, "validation_error"),
        ({"duty_role": "kop", "title": "X", "organisation_id": 999999}, 404, "not_found"),
        ({"duty_role": "kop", "title": "X", "site_id": 999999}, 404, "not_found"),
        ({"duty_role": "kop", "title": "X", "order": -1}, 422, "validation_error"),
    ],
)
def test_bad_role_input(planners, call, body, status, code):
    r = call(planners.lead, "post", f"/plans/{planners.plan.pk}/roles", body)
    assert r.status_code == status, r.content
    assert r.json()["code"] == code


def test_role_department_must_be_in_the_plans_tree(planners, call):
    r = call(
        planners.lead,
        "post",
        f"/plans/{planners.plan.pk}/roles",
        {"duty_role": "kop", "title": "X", "organisation_id": planners.orgs.kommune.pk},
    )
    assert r.status_code == 422 and r.json()["field"] == "organisation_id"


def test_role_of_another_plan_is_404(planners, call):
    other = Plan.objects.create(organisation=planners.orgs.psych, title="Andet")
    r = call(planners.lead, "delete", f"/plans/{other.pk}/roles/{planners.role.pk}")
    assert r.status_code == 404


@pytest.mark.parametrize("who", ["kop", "member", "outsider", "al_b"])
def test_others_cannot_change_roles(planners, call, who):
    user = getattr(planners, who)
    path = f"/plans/{planners.plan.pk}/roles"
    assert call(user, "post", path, {"duty_role": "al", "title": "AL"}).status_code == 403
    assert (
        call(
            user, "put", f"{path}/{planners.role.pk}", {"duty_role": "al", "title": "AL"}
        ).status_code
        == 403
    )
    assert call(user, "delete", f"{path}/{planners.role.pk}").status_code == 403
    assert (
        call(user, "post", f"{path}/{planners.role.pk}/holders", {"user_id": user.pk}).status_code
        == 403
    )


# --- Role holders --------------------------------------------------------------------------
def test_appoint_and_release_a_holder(planners, call):
    path = f"/plans/{planners.plan.pk}/roles/{planners.role.pk}/holders"
    first = call(planners.lead, "post", path, {"user_id": planners.kop.pk})
    again = call(planners.lead, "post", path, {"user_id": planners.kop.pk})
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["display_name"].startswith("Karen")
    # Members of the plan's organisation tree see who holds the role; others do not.
    assert [h["user_id"] for h in call(planners.member, "get", path).json()] == [planners.kop.pk]
    assert call(planners.outsider, "get", path).status_code == 403
    holder = PlanRoleHolder.objects.get(role=planners.role, user=planners.kop)
    assert _audited(holder, "create")
    assert call(planners.lead, "delete", f"{path}/{planners.kop.pk}").status_code == 204
    assert _audited(holder, "delete")
    again = call(planners.lead, "delete", f"{path}/{planners.kop.pk}")
    assert again.status_code == 404 and again.json()["code"] == "not_holder"


def test_holder_must_belong_to_the_department(planners, call):
    path = f"/plans/{planners.plan.pk}/roles/{planners.role.pk}/holders"
    r = call(planners.lead, "post", path, {"user_id": planners.outsider.pk})
    assert r.status_code == 422 and r.json()["code"] == "not_member"
    assert call(planners.lead, "post", path, {"user_id": 999999}).status_code == 404
    assert call(planners.lead, "post", path, {"user_id": "Karen"}).status_code == 422
    assert call(planners.lead, "delete", f"{path}/999999").status_code == 404


# --- Action cards --------------------------------------------------------------------------
def _card_body(planners, **extra):
    return {
        "organisation_id": planners.orgs.psych.pk,
        "code": "KOP-AKT",
        "title": "KOP ved aktivering",
        "duty_role": "kop",
        "items": ["Kvittér for alarmen", "Orientér AL"],
        **extra,
    }


def test_create_card_and_publish_versions(planners, call):
    client_id = str(uuid.uuid4())
    r = call(planners.lead, "post", "/action-cards", _card_body(planners, client_id=client_id))
    assert r.status_code == 201, r.content
    v1 = r.json()
    assert (v1["version"], v1["is_current"]) == (1, True)
    retry = call(planners.lead, "post", "/action-cards", _card_body(planners, client_id=client_id))
    assert retry.status_code == 200 and retry.json()["id"] == v1["id"]
    r = call(
        planners.hl,
        "post",
        f"/action-cards/{v1['id']}/versions",
        {
            "title": "KOP ved aktivering",
            "duty_role": "kop",
            "items": ["Kvittér", "Orientér AL", "Ring AMK"],
        },
    )
    assert r.status_code == 201, r.content
    v2 = r.json()
    assert (v2["version"], v2["code"], v2["is_current"]) == (2, "KOP-AKT", True)
    old = call(planners.member, "get", f"/action-cards/{v1['id']}").json()
    assert old["is_current"] is False and old["items"] == ["Kvittér for alarmen", "Orientér AL"]
    history = call(planners.member, "get", f"/action-cards/{v1['id']}/versions").json()
    assert [c["version"] for c in history] == [2, 1]
    current = call(
        planners.member, "get", f"/action-cards?organisation_id={planners.orgs.psych.pk}"
    )
    assert [c["id"] for c in current.json()] == [v2["id"]]
    update = AuditEvent.objects.get(
        object_type="activation.actioncard", object_id=str(v1["id"]), action="update"
    )
    assert update.extra["replaced_by"] == v2["id"]
    assert _audited(ActionCard.objects.get(pk=v2["id"]), "create")


def test_publishing_from_an_old_version_is_409(planners, call):
    v1 = call(planners.lead, "post", "/action-cards", _card_body(planners)).json()
    body = {"title": "T", "duty_role": "kop", "items": ["a"]}
    assert (
        call(planners.lead, "post", f"/action-cards/{v1['id']}/versions", body).status_code == 201
    )
    stale = call(
        planners.lead, "post", f"/action-cards/{v1['id']}/versions", {**body, "items": ["b"]}
    )
    assert stale.status_code == 409 and stale.json()["code"] == "not_current"
    assert ActionCard.objects.filter(code="KOP-AKT").count() == 2


def test_unchanged_card_is_not_a_new_version(planners, call):
    v1 = call(planners.lead, "post", "/action-cards", _card_body(planners)).json()
    same = {k: v1[k] for k in ("title", "duty_role", "items")}
    r = call(planners.lead, "post", f"/action-cards/{v1['id']}/versions", same)
    assert r.status_code == 422 and r.json()["code"] == "unchanged"


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"items": []}, 422, "validation_error"),
        ({"items": ["ok", " "]}, 422, "required"),
        ({"items": "Kvittér"}, 422, "validation_error"),
        ({"items": [1, 2]}, 422, "validation_error"),
        ({"code": "C BUR!"}, 422, "validation_error"),
        ({"duty_role": "boss"}, 422, "validation_error"),
        ({"organisation_id": 999999}, 404, "not_found"),
        ({"client_id": "not-a-uuid"}, 422, "validation_error"),
    ],
)
def test_bad_card_input(planners, call, body, status, code):
    r = call(planners.lead, "post", "/action-cards", _card_body(planners, **body))
    assert r.status_code == status, r.content
    assert r.json()["code"] == code


def test_card_code_is_unique(planners, call):
    assert call(planners.lead, "post", "/action-cards", _card_body(planners)).status_code == 201
    r = call(planners.lead, "post", "/action-cards", _card_body(planners, title="Andet"))
    assert r.status_code == 409 and r.json()["code"] == "code_taken"


@pytest.mark.parametrize("who", ["kop", "member", "outsider", "al_b"])
def test_others_cannot_create_or_version_cards(planners, call, who):
    user = getattr(planners, who)
    card = ActionCard.objects.create(
        code="KT-EPC",
        title="EPC",
        duty_role="crisis_team",
        organisation=planners.orgs.psych,
        items=["a"],
    )
    assert call(user, "post", "/action-cards", _card_body(planners)).status_code == 403
    r = call(
        user,
        "post",
        f"/action-cards/{card.pk}/versions",
        {"title": "T", "duty_role": "kop", "items": ["b"]},
    )
    assert r.status_code == 403
    assert call(user, "get", f"/action-cards/{card.pk}/versions").status_code == 200


def test_unknown_card_is_404(planners, call):
    body = {"title": "T", "duty_role": "kop", "items": ["b"]}
    assert call(planners.lead, "post", "/action-cards/999999/versions", body).status_code == 404
    assert call(planners.lead, "get", "/action-cards/999999/versions").status_code == 404
