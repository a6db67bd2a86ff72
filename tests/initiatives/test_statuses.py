"""One status per recommendation per quarter: a second is an edit, kept in the history;
milestones; the period a recommendation runs in."""

import datetime as dt

import pytest

from beredt.core.errors import ValidationFailed
from beredt.initiatives import services
from beredt.initiatives.models import StatusReport

pytestmark = pytest.mark.django_db


def test_second_status_is_an_edit_with_history(tryghed, people):
    _i, (rec8, *_rest) = tryghed
    first, created = services.report_status(by=people.lead, recommendation=rec8,
                                            quarter="2024Q2", light="green", text="Første")
    assert created
    second, created = services.report_status(by=people.controller, recommendation=rec8,
                                             quarter="2024q2", light="yellow", text="Rettet",
                                             next_steps="Videre")
    assert not created and second.pk == first.pk
    assert StatusReport.objects.filter(recommendation=rec8).count() == 1
    versions = list(second.history.order_by("history_date"))
    assert [v.text for v in versions] == ["Første", "Rettet"]
    assert [v.history_user for v in versions] == [people.lead, people.controller]


def test_quarters_are_separate(tryghed, people):
    _i, (rec8, *_rest) = tryghed
    for quarter in ("2024Q1", "2024Q2"):
        services.report_status(by=people.lead, recommendation=rec8, quarter=quarter,
                               light="green", text=quarter)
    assert sorted(rec8.statuses.values_list("quarter", flat=True)) == ["2024Q1", "2024Q2"]


@pytest.mark.parametrize(("values", "code"), [
    ({"quarter": "2024Q9"}, "bad_quarter"),
    ({"light": "blue"}, "bad_light"),
    ({"text": "  "}, "required"),
    ({"quarter": "2023Q4"}, "quarter_outside_period"),
])
def test_bad_status(tryghed, people, values, code):
    _i, (rec8, *_rest) = tryghed
    data = {"quarter": "2024Q2", "light": "green", "text": "Tekst", **values}
    with pytest.raises(ValidationFailed) as caught:
        services.report_status(by=people.lead, recommendation=rec8, **data)
    assert caught.value.code == code
    assert not StatusReport.objects.exists()


def test_recommendation_period(tryghed, people):
    _i, (rec8, *_rest) = tryghed
    services.save_recommendation(by=people.lead, recommendation=rec8, last_quarter="2024Q2")
    services.report_status(by=people.lead, recommendation=rec8, quarter="2024Q2",
                           light="green", text="Sidste")
    with pytest.raises(ValidationFailed) as caught:
        services.report_status(by=people.lead, recommendation=rec8, quarter="2024Q3",
                               light="green", text="Efter")
    assert caught.value.code == "quarter_outside_period"
    with pytest.raises(ValidationFailed) as caught:
        services.save_recommendation(by=people.lead, recommendation=rec8,
                                     first_quarter="2024Q3")
    assert caught.value.code == "bad_period"


def test_milestones(tryghed, people):
    _i, (rec8, *_rest) = tryghed
    milestone = services.add_milestone(by=people.lead, recommendation=rec8,
                                       title="Arbejdsgruppe nedsat", planned_quarter="2024q3")
    assert milestone.planned_quarter == "2024Q3" and not milestone.is_done
    services.set_milestone_done(by=people.lead, milestone=milestone, done_on=dt.date(2024, 8, 1))
    milestone.refresh_from_db()
    assert milestone.is_done
    with pytest.raises(ValidationFailed) as caught:
        services.add_milestone(by=people.lead, recommendation=rec8, title="X",
                               planned_quarter="Q3")
    assert caught.value.code == "bad_quarter"


def test_duplicate_recommendation_number(tryghed, people):
    initiative, _recs = tryghed
    from beredt.core.errors import Conflict

    with pytest.raises(Conflict) as caught:
        services.save_recommendation(by=people.lead, initiative=initiative, number=8,
                                     title="Igen")
    assert caught.value.code == "duplicate_number"
