"""Versioned action cards: a change is a new version; earlier versions stay readable, ticks
keep pointing at the version that was ticked, and a running incident keeps its version."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from beredt.activation import plan_services, selectors, services
from beredt.activation.models import ActionCard, ActionCardTick
from beredt.core.errors import Conflict, Forbidden
from beredt.incidents import services as incident_services
from beredt.organisations.models import Role


@pytest.fixture
def card(team, make_user):
    lead = make_user("planlead", roles=[(team.orgs.psych, Role.PREPAREDNESS_LEAD)])
    card, _created = plan_services.create_card(
        by=lead,
        organisation=team.orgs.psych,
        code="KOP-AKT",
        title="KOP ved aktivering",
        duty_role="kop",
        items=["Kvittér", "Orientér AL"],
    )
    card.lead = lead
    return card


def _publish(card, items):
    new, _created = plan_services.publish_card_version(
        by=card.lead, card=card, title=card.title, duty_role=card.duty_role, items=items
    )
    return new


def test_new_version_keeps_the_old_one_and_its_ticks(team, incident, card):
    tick = services.tick(by=team.kop, incident=incident, card=card, item=1)
    v2 = _publish(card, ["Kvittér", "Ring til AMK", "Orientér AL"])
    card.refresh_from_db()
    assert (card.is_current, v2.is_current, v2.version) == (False, True, 2)
    assert card.items == ["Kvittér", "Orientér AL"]
    tick.refresh_from_db()
    assert tick.card_id == card.pk
    assert list(selectors.card_versions(v2)) == [v2, card]
    assert list(selectors.current_cards(team.orgs.psych)) == [v2]


def test_running_incident_keeps_the_version_it_ticked(team, incident, card):
    services.tick(by=team.kop, incident=incident, card=card, item=0)
    v2 = _publish(card, ["Kvittér", "Ring til AMK"])
    assert list(selectors.cards_for_incident(incident)) == [card]
    fresh, _ = incident_services.create_incident(
        by=team.kop,
        title="Brand",
        kind="fire",
        municipality_code=730,
        lead_organisation_id=team.orgs.dept_a.pk,
    )
    assert list(selectors.cards_for_incident(fresh)) == [v2]


def test_board_shows_the_ticked_old_version(team, incident, card, client):
    services.tick(by=team.kop, incident=incident, card=card, item=0)
    _publish(card, ["Kvittér", "Ring til AMK"])
    client.force_login(team.kop)
    page = client.get(reverse("activation:board", kwargs={"incident_id": incident.pk}))
    html = page.content.decode()
    assert "KOP-AKT</strong> v1" in html and "Ring til AMK" not in html


def test_only_the_current_version_can_be_changed(team, card):
    _publish(card, ["Ny tekst"])
    with pytest.raises(Conflict) as exc:
        _publish(card, ["Anden tekst"])
    assert exc.value.code == "not_current"
    assert ActionCard.objects.filter(code="KOP-AKT").count() == 2


def test_kop_cannot_publish(team, card):
    with pytest.raises(Forbidden):
        plan_services.publish_card_version(
            by=team.kop, card=card, title="X", duty_role="kop", items=["a"]
        )


def test_database_allows_one_current_version_per_code(team, card):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActionCard.objects.create(
            code="KOP-AKT",
            version=9,
            title="Dublet",
            duty_role="kop",
            organisation=team.orgs.psych,
            items=["a"],
        )


def test_ticked_version_cannot_be_deleted(team, incident, card):
    from django.db.models import ProtectedError

    services.tick(by=team.kop, incident=incident, card=card, item=0)
    _publish(card, ["Ny"])
    with pytest.raises(ProtectedError):
        card.delete()
    assert ActionCardTick.objects.filter(card=card).count() == 1
