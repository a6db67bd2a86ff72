"""Duplicate matching, review queue, merge with history and undo."""

import pytest

from beredt.core.errors import Conflict, Forbidden
from beredt.registry import selectors, services
from beredt.registry.models import CandidateStatus, DuplicateCandidate, Merge

from .conftest import VALID_CPR


def test_same_cpr_is_certain_across_points_and_incidents(register, kop, other_incident,
                                                         other_registrar):
    a = register(full_name="Anna Holm", cpr=VALID_CPR, point_kind="scene")
    b = register(full_name="A. Holm-Jensen", cpr=VALID_CPR, by=other_registrar,
                 incident_=other_incident)
    cand = DuplicateCandidate.objects.get()
    assert (cand.first, cand.second, cand.certain) == (a, b, True)


def test_probable_pair_by_name_birth_date_and_phone(register):
    a = register(full_name="Mette Kjær Andersen", birth_date="1984-03-01", phone="22113344",
                 postcode="8900")
    b = register(full_name="Mette Kjaer Andersen", birth_date="1984-03-01",
                 phone="+45 22 11 33 44")
    cand = DuplicateCandidate.objects.get()
    assert {cand.first, cand.second} == {a, b} and not cand.certain


def test_different_people_are_not_paired(register):
    register(full_name="Mette Andersen", birth_date="1984-03-01", phone="22113344")
    register(full_name="Jonas Lund", birth_date="1990-07-12", phone="31224567")
    register(full_name="Mette Andersen", birth_date="1950-11-30", phone="40404040",
             postcode="2100")
    assert not DuplicateCandidate.objects.filter(score__gte=50).exists()
    pairs = list(DuplicateCandidate.objects.all())
    assert all(p.first.birth_date == p.second.birth_date for p in pairs)


def test_merge_fills_keeps_history_and_undo_restores(register, kop, registrar):
    a = register(full_name="Anna Holm", birth_date="1990-01-01", phone="22113344")
    b = register(full_name="Anna Holm", cpr=VALID_CPR, phone="22113344",
                 email="anna@example.org", consents=[
                     {"kind": "registration", "method": "digital"},
                     {"kind": "followup_contact", "method": "digital", "channels": ["email"]}])
    cand = DuplicateCandidate.objects.get()
    assert cand.certain is False
    with pytest.raises(Forbidden):
        services.merge(candidate=cand, by=registrar)  # registrars do not merge
    record = services.merge(candidate=cand, by=kop)
    a.refresh_from_db()
    b.refresh_from_db()
    assert b.status == "merged" and b.merged_into == a
    assert a.cpr == VALID_CPR and a.email == "anna@example.org"
    assert set(record.filled_fields) >= {"cpr", "email"}
    # The merged person keeps the consents of both registrations.
    assert selectors.consented_channels(a) == {"email"}
    assert not selectors.candidates_for(kop, a.incident).exists()
    with pytest.raises(Conflict):
        services.merge(candidate=cand, by=kop)

    services.undo_merge(merge_record=record, by=kop)
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.cpr == "" and a.cpr_hash == "" and a.email == ""
    assert b.status == "active" and b.merged_into is None
    assert selectors.consented_channels(a) == set()
    assert DuplicateCandidate.objects.get().status == CandidateStatus.PENDING
    assert Merge.objects.get().undone_by == kop
    with pytest.raises(Conflict):
        services.undo_merge(merge_record=record, by=kop)


def test_withdrawal_on_merged_registration_covers_the_person(register, kop, registrar):
    a = register(full_name="Anna Holm", phone="22113344", birth_date="1990-01-01")
    b = register(full_name="Anna Holm", phone="22113344", birth_date="1990-01-01", consents=[
        {"kind": "registration", "method": "digital"},
        {"kind": "followup_contact", "method": "digital", "channels": ["sms"]}])
    services.merge(candidate=DuplicateCandidate.objects.get(), by=kop)
    assert selectors.may_contact(a, "sms")
    services.withdraw_consent(consent=a.consents.get(kind="registration"), by=registrar,
                              reason="Nej tak")
    assert not selectors.may_contact(a, "sms") and not selectors.may_contact(b, "sms")


def test_reject_removes_from_queue(register, kop):
    register(full_name="Anna Holm", birth_date="1990-01-01")
    register(full_name="Anna Holm", birth_date="1990-01-01")
    cand = DuplicateCandidate.objects.get()
    services.reject_candidate(candidate=cand, by=kop)
    assert DuplicateCandidate.objects.get().status == CandidateStatus.REJECTED
    assert not selectors.candidates_for(kop, cand.first.incident).exists()


def test_queue_and_pages(client, register, kop, incident):
    register(full_name="Anna Holm", birth_date="1990-01-01")
    register(full_name="Anna Holm", birth_date="1990-01-01")
    cand = DuplicateCandidate.objects.get()
    client.force_login(kop)
    page = client.get(f"/registry/incidents/{incident.pk}/duplicates/")
    assert page.status_code == 200 and "Anna Holm" in page.content.decode()
    client.post(f"/registry/duplicates/{cand.pk}/merge/")
    assert Merge.objects.filter(undone_at__isnull=True).count() == 1
    client.post(f"/registry/merges/{Merge.objects.get().pk}/undo/")
    assert Merge.objects.get().undone_at is not None
