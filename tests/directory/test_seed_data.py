"""Seed 003 is loaded completely, faithfully and idempotently."""

from beredt.directory.models import Phone, Schedule, Service, ServiceKind
from beredt.directory.services import load_seed_003, seed_uuid


def test_every_row_of_the_contact_table_and_bilag_1(seeded):
    lines = Service.objects.filter(kind=ServiceKind.LINE)
    assert lines.count() == 10
    per_municipality = {
        code: Service.objects.filter(kind=ServiceKind.OFFER, municipality_id=code).count()
        for code in (706, 707, 730, 710)
    }
    # Syddjurs 11 rows; Norddjurs 12; Randers 7 rows (Bostøttecentre split in two → 8);
    # Favrskov 10 rows plus the acute entry without a number.
    assert per_municipality == {706: 11, 707: 12, 730: 8, 710: 11}
    numbers = set(Phone.objects.filter(service__kind=ServiceKind.LINE)
                  .values_list("number", flat=True))
    assert numbers == {"89591010", "22617812", "87535000", "51356476", "29749020", "24900783",
                       "24900911", "89642017", "78470470", "78475352"}


def test_danish_text_and_ambiguity_notes_are_kept(seeded):
    group = Service.objects.get(pk=seed_uuid("syddjurs-82b"))
    assert group.target_group == "Angst, stres deppression m.m."
    acute = Service.objects.get(pk=seed_uuid("syddjurs-akut"))
    assert "20 -22" in acute.source_note
    social = Service.objects.get(pk=seed_uuid("favrskov-socialindsats"))
    assert social.legal_basis == "SL §82a, §82b, §82d" and "821" in social.source_note


def test_loading_twice_changes_nothing(seeded_with_history):
    history = (Service.history.count(), Schedule.history.count(), Phone.history.count())
    schedules = set(Schedule.objects.values_list("pk", flat=True))
    load_seed_003()
    assert set(Schedule.objects.values_list("pk", flat=True)) == schedules
    assert (Service.history.count(), Schedule.history.count(), Phone.history.count()) == history
