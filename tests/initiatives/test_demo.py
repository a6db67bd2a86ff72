"""The seed's two initiatives as demo data: the check says what the seed's figures say."""

from decimal import Decimal

import pytest

from beredt.initiatives import demo, selectors, services
from beredt.initiatives.models import Committee, Initiative, StatusReport
from beredt.initiatives.periods import Quarter

pytestmark = pytest.mark.django_db


class _Out:
    def write(self, text):
        self.text = text


def test_demo_is_idempotent_and_shows_the_check():
    demo.load(stdout=_Out())
    demo.load(stdout=_Out())
    assert Initiative.objects.count() == 2
    tryghed = Initiative.objects.get(title="Tryghedspakke (Psykiatri)")
    numbers = sorted(tryghed.recommendations.values_list("number", flat=True))
    assert numbers == [8, 18, 19, 20, 21]
    check = {c.year: c for c in selectors.allocation_check(tryghed)}
    assert check[2024].state == "balanced" and check[2024].allocated == Decimal("3400000")
    assert {check[y].state for y in (2025, 2026, 2027)} == {"unexplained"}
    assert {check[y].difference for y in (2025, 2026, 2027)} == {Decimal("400000")}
    frivillige = Initiative.objects.get(position=2)
    assert {c.state for c in selectors.allocation_check(frivillige)} == {"explained"}
    committee = Committee.objects.get()
    assert StatusReport.objects.filter(quarter="2024Q1").count() == 11
    with pytest.raises(services.ReportNotReady) as caught:
        services.check_ready(committee=committee, quarter=Quarter(2024, 2))
    assert caught.value.code == "unexplained_difference"
    with pytest.raises(services.ReportNotReady) as caught:
        services.check_ready(committee=committee, quarter=Quarter(2024, 3))
    assert caught.value.code == "missing_statuses" and len(caught.value.missing) == 5
