"""Routing rules: residence municipality, the region when its crisis team took part, the
incident municipality as a flagged fallback, children following their guardian, staff to
their employer — and the rules being data an administrator changes."""

import pytest

from beredt.core.errors import Forbidden
from beredt.followup import services
from beredt.followup.models import IncidentFollowup, RoutingDecision, RoutingRule
from beredt.registry.models import PersonRole

pytestmark = pytest.mark.django_db


def current(reg):
    return list(RoutingDecision.objects.filter(registration=reg, is_current=True)
                .select_related("unit"))


def test_residence_municipality_decides_and_the_rule_is_recorded(kop, incident, units, person):
    reg = person("Anna Holm", postcode="8000")  # Aarhus
    services.route_incident(by=kop, incident=incident)
    [decision] = current(reg)
    assert decision.unit == units.aarhus
    assert decision.rule.action == "residence_municipality"
    assert decision.rule_name == decision.rule.name
    assert "Aarhus" in decision.explanation
    assert not decision.needs_manual_decision


@pytest.mark.parametrize("residence", ["unknown", "abroad"])
def test_unknown_or_abroad_goes_to_incident_municipality_flagged(kop, incident, units, person,
                                                                 residence):
    reg = person("Ola Nordmann", residence=residence)
    services.route_incident(by=kop, incident=incident)
    [decision] = current(reg)
    assert decision.unit == units.randers  # the incident municipality
    assert decision.needs_manual_decision
    assert decision.rule.action == "incident_municipality"


def test_flagged_people_are_not_handed_over_until_decided(kop, incident, units, person):
    reg = person("Ola Nordmann", residence="abroad")
    services.route_incident(by=kop, incident=incident)
    assert services.hand_over(by=kop, incident=incident) == []
    services.decide_manually(by=kop, registration=reg, unit=units.aarhus,
                             reason="Flytter til Aarhus")
    [handover] = services.hand_over(by=kop, incident=incident)
    assert handover.receiver == units.aarhus.organisation
    assert current(reg)[0].rule_name  # "Manual decision"
    assert current(reg)[0].rule is None


def test_child_follows_guardian(kop, incident, units, person):
    guardian = person("Mor Holm", postcode="8000")  # Aarhus
    child = person("Barn Holm", birth_date="2015-05-05", residence="unknown",
                   related_to_id=guardian.pk, relation="child_of", guardian="Mor Holm")
    services.route_incident(by=kop, incident=incident)
    [decision] = current(child)
    assert decision.unit == units.aarhus
    assert not decision.needs_manual_decision
    # Set otherwise: the child's own (unknown) residence is used.
    services.set_person_routing(by=kop, registration=child, ignore_guardian=True)
    [decision] = current(child)
    assert decision.unit == units.randers and decision.needs_manual_decision


def test_staff_are_routed_to_their_employers_arrangement(kop, incident, units, person, orgs):
    reg = person("Redder Jensen", postcode="8000", role=PersonRole.STAFF)
    services.set_person_routing(by=kop, registration=reg, employer=orgs.dept_b)
    [decision] = current(reg)
    assert decision.unit == units.employer
    assert decision.rule.action == "employer"
    other = person("Vidne Jensen", postcode="8000", role=PersonRole.WITNESS)
    services.set_person_routing(by=kop, registration=other, employer=orgs.dept_b)
    assert [d.unit for d in current(other)] == [units.aarhus]


def test_region_psychiatry_added_when_regional_team_took_part(kop, incident, units, person):
    reg = person("Anna Holm", postcode="8900")
    IncidentFollowup.objects.create(incident=incident, regional_team_took_part=True)
    services.route_incident(by=kop, incident=incident)
    decisions = current(reg)
    assert {d.unit for d in decisions} == {units.randers, units.region}
    region = next(d for d in decisions if d.unit == units.region)
    assert "8 weeks" in region.explanation or "8 uger" in region.explanation


def test_rules_are_data_an_administrator_changes(kop, incident, units, person):
    reg = person("Anna Holm", postcode="8000")
    RoutingRule.objects.filter(action="residence_municipality").update(is_active=False)
    services.route_incident(by=kop, incident=incident)
    [decision] = current(reg)
    assert decision.unit == units.randers and decision.needs_manual_decision


def test_without_followup_consent_nobody_is_routed(kop, incident, units, person):
    reg = person("Uden Samtykke", postcode="8000", channels=())
    services.route_incident(by=kop, incident=incident)
    assert current(reg) == []


def test_municipality_without_unit_is_flagged(kop, incident, units, person):
    reg = person("Anna Holm", postcode="2100")  # København: no unit configured
    services.route_incident(by=kop, incident=incident)
    decisions = current(reg)
    assert any(d.unit is None and d.needs_manual_decision for d in decisions)
    assert any(d.unit == units.randers and d.needs_manual_decision for d in decisions)


def test_only_sender_roles_route(incident, units, randers_coord):
    with pytest.raises(Forbidden):
        services.route_incident(by=randers_coord, incident=incident)
