"""Operational figures: collected from every app config's ``initiative_figures`` hook,
linked to a recommendation, shown for the quarter in its status and in the report."""

import datetime as dt

import pytest

from beredt.core.apps import BeredtAppConfig
from beredt.core.errors import ValidationFailed
from beredt.initiatives import services
from beredt.initiatives.figures import available_figures, figure_for
from beredt.initiatives.periods import Quarter
from tests.testapp import figures as source

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(orgs):
    source.EVENTS[:] = [
        (dt.date(2024, 4, 1), orgs.dept_a.pk), (dt.date(2024, 6, 30), orgs.dept_a.pk),
        (dt.date(2024, 7, 1), orgs.dept_a.pk),          # next quarter
        (dt.date(2024, 5, 5), orgs.kommune.pk),         # another organisation
    ]
    yield source.EVENTS
    source.EVENTS.clear()


def test_base_hook_is_empty_and_collected():
    assert BeredtAppConfig.initiative_figures(None) == []
    assert "testapp.events" in available_figures()


def test_unknown_figure_key_refused(tryghed, people):
    _i, (rec8, *_rest) = tryghed
    with pytest.raises(ValidationFailed) as caught:
        services.save_recommendation(by=people.lead, recommendation=rec8,
                                     figure_key="nowhere.nothing")
    assert caught.value.code == "unknown_figure"


def test_period_and_organisation_of_the_figure(tryghed, people, events):
    _i, (rec8, *_rest) = tryghed
    services.save_recommendation(by=people.lead, recommendation=rec8,
                                 figure_key="testapp.events")
    rec8.refresh_from_db()
    assert figure_for(rec8, Quarter(2024, 2))["value"] == 2
    assert figure_for(rec8, Quarter(2024, 3))["value"] == 1
    assert figure_for(rec8, Quarter(2024, 1))["value"] == 0


def test_figure_in_status_api_and_report(tryghed, people, committee, events, api_client):
    initiative, recs = tryghed
    services.save_recommendation(by=people.lead, recommendation=recs[0],
                                 figure_key="testapp.events")
    services.explain_difference(by=people.lead, initiative=initiative, year=2025,
                                explanation="Forklaret.")
    for rec in recs:
        services.report_status(by=people.lead, recommendation=rec, quarter="2024Q2",
                               light="green", text="Ok")
    answer = api_client(people.member).get("/api/v1/initiatives/statuses?quarter=2024Q2")
    figures = {s["heading"]: s["figure"] for s in answer.json()}
    assert figures[recs[0].heading] == {"key": "testapp.events", "label": "Test events",
                                        "value": "2"}
    assert figures[recs[1].heading] is None
    generated = services.generate_report(by=people.secretary, committee=committee,
                                         quarter="2024Q2", format="pdf")
    first = generated.content["initiatives"][0]["recommendations"][0]
    assert first["figure"] == {"key": "testapp.events", "label": "Test events", "value": "2"}
    events.append((dt.date(2024, 5, 1), recs[0].initiative.organisation_id))
    again = services.generate_report(by=people.secretary, committee=committee,
                                     quarter="2024Q2", format="pdf")
    assert again.content_hash != generated.content_hash


def test_failing_figure_does_not_break_the_status(tryghed, people, monkeypatch):
    _i, (rec8, *_rest) = tryghed
    services.save_recommendation(by=people.lead, recommendation=rec8,
                                 figure_key="testapp.events")

    def broken(**kwargs):
        raise RuntimeError("down")

    monkeypatch.setitem(source.FIGURES[0], "compute", broken)
    rec8.refresh_from_db()
    assert figure_for(rec8, Quarter(2024, 2)) == {"key": "testapp.events",
                                                  "label": "Test events", "value": None}
