"""The routing engine: which follow-up unit(s) receive a person, and why.

Rules (:class:`~.models.RoutingRule`) are evaluated in their order. ``follow_guardian``
changes the *subject* of the remaining rules to the guardian's registration (a child follows
the guardian's municipality unless the person's routing says otherwise); every other action
proposes a receiver. Each proposal records the rule and a readable explanation.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from beredt.registry.models import Registration, Relation, Residence

from .models import FollowupUnit, IncidentFollowup, PersonRouting, RoutingRule, RuleAction, UnitKind


@dataclass
class Proposal:
    unit: FollowupUnit | None
    rule: RoutingRule | None
    rule_name: str
    explanation: str
    needs_manual_decision: bool = False


def settings_for(incident) -> IncidentFollowup:
    found = IncidentFollowup.objects.filter(incident=incident).first()
    return found or IncidentFollowup(incident=incident)


def _unit(kind: str, **where) -> FollowupUnit | None:
    return (FollowupUnit.objects.select_related("organisation")
            .filter(kind=kind, is_active=True, **where).first())


def _residence_matches(rule: RoutingRule, subject: Registration) -> bool:
    if not rule.residence:
        return True
    lives_here = subject.residence == Residence.MUNICIPALITY and subject.residence_municipality_id
    return bool(lives_here) if rule.residence == "municipality" else not lives_here


def _employer_unit(org) -> FollowupUnit | None:
    while org is not None:
        unit = _unit(UnitKind.EMPLOYER, organisation=org)
        if unit:
            return unit
        org = org.parent
    return None


def propose(registration: Registration, *, rules=None) -> list[Proposal]:
    """The receivers for one registration under the current rules (nothing is saved)."""
    incident = registration.incident
    conf = settings_for(incident)
    routing = PersonRouting.objects.filter(registration=registration).first()
    rules = list(rules if rules is not None else RoutingRule.objects.filter(is_active=True))
    subject = registration
    via = ""
    out: list[Proposal] = []
    for rule in rules:
        if rule.role and registration.role != rule.role:
            continue
        if rule.only_if_regional_team and not conf.regional_team_took_part:
            continue
        if rule.only_if_unrouted and any(p.unit for p in out):
            continue
        if rule.action == RuleAction.FOLLOW_GUARDIAN:
            guardian = registration.related_to
            if (registration.relation == Relation.CHILD_OF and guardian is not None
                    and not (routing and routing.ignore_guardian)):
                subject = guardian
                via = _(" (the guardian's residence)")
            continue
        if not _residence_matches(rule, subject):
            continue
        unit, why = None, ""
        if rule.action == RuleAction.EMPLOYER:
            employer = routing.employer if routing else None
            unit = _employer_unit(employer) if employer else None
            if unit:
                why = _("Employer %(org)s has its own arrangement.") % {"org": employer.name}
        elif rule.action == RuleAction.RESIDENCE_MUNICIPALITY:
            if subject.residence_municipality_id:
                unit = _unit(UnitKind.MUNICIPAL, municipality_id=subject.residence_municipality_id)
                name = subject.residence_municipality.name
                why = (_("Lives in %(m)s%(via)s.") % {"m": name, "via": via} if unit else "")
                if unit is None:
                    out.append(Proposal(None, rule, rule.name, _(
                        "Lives in %(m)s%(via)s, but no follow-up unit is configured there."
                    ) % {"m": name, "via": via}, True))
                    continue
        elif rule.action == RuleAction.RESIDENCE_REGION:
            municipality = subject.residence_municipality
            if municipality is not None:
                unit = _unit(UnitKind.REGIONAL_PSYCHIATRY, region_id=municipality.region_id)
                if unit:
                    why = _("The regional crisis team took part: %(r)s offers crisis therapy "
                            "after about %(w)s weeks%(via)s.") % {
                        "r": municipality.region.name, "w": conf.check_weeks, "via": via}
        elif rule.action == RuleAction.INCIDENT_MUNICIPALITY:
            unit = _unit(UnitKind.MUNICIPAL, municipality_id=incident.municipality_id)
            why = _("Residence %(res)s: the incident municipality %(m)s takes it until a "
                    "person decides.") % {"res": subject.get_residence_display().lower(),
                                          "m": incident.municipality.name}
            if unit is None:
                out.append(Proposal(None, rule, rule.name, why + " " + _(
                    "No follow-up unit is configured there either."), True))
                continue
        if unit is None:
            continue
        out.append(Proposal(unit, rule, rule.name, why, rule.needs_manual_decision))
        if rule.stop:
            break
    if not out:
        out.append(Proposal(None, None, _("No rule"), _(
            "No rule found a receiver: decide manually."), True))
    # One proposal per unit (the first rule that found it wins).
    seen: set = set()
    unique = []
    for p in out:
        key = p.unit.pk if p.unit else None
        if key is not None and key in seen:
            continue
        seen.add(key)
        unique.append(p)
    return unique
