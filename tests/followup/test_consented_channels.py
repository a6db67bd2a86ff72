"""``selectors.consented_channels_of``: the registry's ``consented_channels`` for many people
in a few queries — same answers for consent, withdrawal, merged people and anonymisation."""

import pytest
from django.utils import timezone

from beredt.followup import selectors
from beredt.registry import selectors as registry
from beredt.registry.models import ConsentRecord, Registration

pytestmark = pytest.mark.django_db


def merge(child, into):
    Registration.objects.filter(pk=child.pk).update(status="merged", merged_into=into)


def test_same_answers_as_the_registry(person, django_assert_max_num_queries):
    sms = person("Anna", channels=("sms",))
    none = person("Bo", channels=())
    withdrawn = person("Cai", channels=("sms", "email"), email="cai@example.org")
    ConsentRecord.objects.filter(registration=withdrawn, kind="followup_contact").update(
        withdrawn_at=timezone.now(), withdrawn_reason="Ønsker ikke kontakt")
    survivor = person("Dorte", channels=())
    merged = person("Dorte H.", channels=("email",), email="d@example.org")
    merge(merged, survivor)  # the merged registration's consent counts for the person
    top = person("Eva", channels=("sms",))
    middle = person("Eva H.", channels=())
    bottom = person("Eva Holm", channels=("email",), email="e@example.org")
    merge(bottom, middle)
    merge(middle, top)  # a chain: bottom's root is top, but it is no member of top's group
    kept = person("Finn", channels=("sms",))
    gone = person("Finn F.", channels=("sms",))
    merge(gone, kept)  # then the person is anonymised: nobody in the group is contacted
    Registration.objects.filter(pk=kept.pk).update(status="anonymised")
    people = [sms, none, withdrawn, survivor, merged, top, middle, bottom, kept, gone]
    with django_assert_max_num_queries(5):
        answers = selectors.consented_channels_of(r.pk for r in people)
    expected = {r.pk: registry.consented_channels(Registration.objects.get(pk=r.pk))
                for r in people}
    assert answers == expected
    everyone = Registration.objects.filter(pk__in=[r.pk for r in people])
    assert selectors.consented_channels_of(everyone) == expected  # as a subquery
    assert answers[sms.pk] == {"sms"} and answers[merged.pk] == {"email"}
    assert answers[withdrawn.pk] == answers[kept.pk] == answers[gone.pk] == set()


def test_many_people_are_read_in_slices(person, monkeypatch):
    monkeypatch.setattr(registry, "CONSENT_SLICE", 2)
    people = [person(f"P{i}", channels=("sms",)) for i in range(5)]
    assert registry.consented_channels_of(r.pk for r in people) == {
        r.pk: {"sms"} for r in people}
