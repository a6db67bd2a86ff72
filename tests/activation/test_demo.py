from io import StringIO

from beredt.activation.models import ActionCard, Plan, Shift
from beredt.activation.selectors import can_alarm, who_to_alert
from beredt.organisations import demo as org_demo
from beredt.organisations.models import Organisation


def test_demo_is_idempotent_and_follows_the_seeds(db):
    from beredt.activation import demo
    from beredt.incidents import demo as incident_demo

    for _ in range(2):
        org_demo.load(stdout=StringIO())
        incident_demo.load(stdout=StringIO())
        demo.load(stdout=StringIO())
    assert Plan.objects.count() == 2
    assert ActionCard.objects.filter(code="C-BUR", is_current=True).count() == 1
    ppr = Organisation.objects.get(name="PPR – kriseteam")
    ballerup_plan = Plan.objects.get(organisation__name="Center for Børn og Unge")
    assert {o.name for o in ballerup_plan.activating_organisations.all()} == {
        "Tværgående Kriseledelse",
        "Social Døgnvagt",
    }
    from beredt.accounts.models import User

    assert can_alarm(User.objects.get(username="doegnvagt"), ppr)
    assert not can_alarm(User.objects.get(username="opfolgning"), ppr)
    assert can_alarm(
        User.objects.get(username="amk"), Organisation.objects.get(name="Afdeling for Psykoser")
    )
    psykoser = Organisation.objects.get(name="Afdeling for Psykoser")
    assert [u.username for u in who_to_alert(psykoser, "kop")] == ["kop"]
    assert [u.username for u in who_to_alert(psykoser, "deputy_kop")] == ["kop-vikar"]
    assert Shift.objects.filter(user__username="ppr-psykolog").exists()
