"""The pages: case list by phase, referral form with "who answers now", case page with its
panels, plan editors, the overview, and the demo."""

import io
import uuid

import pytest
from django.utils import timezone

from beredt.programme.models import Case, Phase

from .conftest import ELIGIBLE

pytestmark = pytest.mark.django_db


def test_case_list_by_phase(client, prog, make_case):
    make_case("contract")
    make_case()
    client.force_login(prog.skp)
    page = client.get("/programme/?phase=contract").content.decode()
    assert "Fase 2: kontrakt" in page and "120492-****" in page and "1204921244" not in page
    assert "0:00 / 37:00" in page
    assert "Ingen forløb" in client.get("/programme/?phase=closed").content.decode()


def test_nav_and_dashboard_only_for_programme_staff(client, prog, make_case):
    make_case()
    client.force_login(prog.skp)
    assert "/programme/" in client.get("/").content.decode()
    client.force_login(prog.outsider)
    assert "/programme/" not in client.get("/").content.decode()
    assert client.get("/programme/").status_code == 404


def test_referral_form_posts_a_case(client, prog):
    client.force_login(prog.referrer)
    assert "Henvisning" in client.get("/programme/refer/").content.decode()
    data = {"client_id": str(uuid.uuid4()), "referring_organisation": prog.hospital.pk,
            "municipality": 730, "full_name": "Kasper Vinther", "cpr": "230788-1233",
            "admitted_on": str(timezone.localdate()), "admission_number": 2,
            "consents": ["programme", "share_gp"], "consent_method": "signed_paper",
            **{f"c_{k}": "yes" if v else "no" for k, v in ELIGIBLE.items()}}
    response = client.post("/programme/refer/", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"] == f"/programme/cases/{case.pk}/"
    again = client.post("/programme/refer/", data)
    assert again.status_code == 302 and Case.objects.count() == 1


def test_referral_form_shows_the_domain_error_on_the_field(client, prog):
    client.force_login(prog.referrer)
    data = {"client_id": str(uuid.uuid4()), "referring_organisation": prog.hospital.pk,
            "municipality": 730, "full_name": "Ung", "cpr": "120415-4234",
            "admitted_on": str(timezone.localdate()), "admission_number": 2,
            "consents": ["programme"], "consent_method": "signed_paper",
            **{f"c_{k}": "yes" if v else "no" for k, v in ELIGIBLE.items()}}
    page = client.post("/programme/refer/", data).content.decode()
    assert "18 år" in page and not Case.objects.exists()


def test_who_answers_now_partial(client, prog):
    from beredt.directory.services import load_seed_003

    load_seed_003(stdout=io.StringIO())
    client.force_login(prog.referrer)
    page = client.get("/programme/who-answers/?municipality=730").content.decode()
    assert "Randers Kommune" in page and ("2490" in page or "2974" in page)


def test_case_page_panels_and_actions(client, prog, make_case):
    case = make_case("contract", start=timezone.localdate())
    client.force_login(prog.skp)
    page = client.get(f"/programme/cases/{case.pk}/").content.decode()
    for text in ("Fasetidslinje", "Timer", "Netværksmøder", "Netværkskort", "Aktivitetsplan",
                 "Kontrakt", "Kriseplan (bilag 2)", "Tilbagefaldsplan (bilag 3)"):
        assert text in page, text
    response = client.post(f"/programme/cases/{case.pk}/hours/",
                           {"date": str(timezone.localdate()), "minutes": 45,
                            "kind": "face_to_face"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.programme_minutes == 45
    client.post(f"/programme/cases/{case.pk}/hours/",
                {"date": str(timezone.localdate()), "minutes": 1440, "kind": "face_to_face"})
    client.post(f"/programme/cases/{case.pk}/hours/",
                {"date": str(timezone.localdate()), "minutes": 1440, "kind": "face_to_face"})
    page = client.get(f"/programme/cases/{case.pk}/").content.decode()
    assert "Timerammen er brugt" in page


def test_plan_editor_saves_versions(client, prog, make_case):
    case = make_case("relapse")
    client.force_login(prog.skp)
    url = f"/programme/cases/{case.pk}/plans/relapse/"
    assert "Advarselstegn" in client.get(url).content.decode() or \
        "advarselstegn" in client.get(url).content.decode()
    response = client.post(url, {"warning_inner": "Uro", "good_things": "Gå en tur\nRing"})
    assert response.status_code == 302
    assert case.plans.get(kind="relapse").data["good_things"] == ["Gå en tur", "Ring"]
    bad = client.post(url, {"warning_inner": "Uro"}).content.decode()
    assert "mindst én god ting" in bad
    client.force_login(prog.referrer)
    assert client.get(url).status_code == 404


def test_close_from_the_page(client, prog, make_case):
    case = make_case("contact")
    client.force_login(prog.skp)
    client.post(f"/programme/cases/{case.pk}/close/", {"outcome": "declined"})
    case.refresh_from_db()
    assert case.phase == Phase.CLOSED


def test_overview_page(client, prog, make_case):
    make_case()
    client.force_login(prog.leader)
    page = client.get("/programme/overview/").content.decode()
    assert "Lederoverblik" in page and "Genindlæggelser" in page


def test_demo_has_a_randers_case_in_each_phase(db):
    from django.core.management import call_command

    call_command("loaddemo", force=True, stdout=io.StringIO())
    call_command("loaddemo", force=True, stdout=io.StringIO())  # idempotent
    phases = set(Case.objects.filter(municipality_id=730).values_list("phase", flat=True))
    assert phases == set(Phase.values)
    assert Case.objects.count() == len(Phase.values)
