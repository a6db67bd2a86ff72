"""The matcher itself (pure functions): normalising, blocking, scoring."""

from beredt.registry import matching


def rec(key, **fields):
    return matching.make_record(key, **fields)


def test_normalise_and_fold():
    assert matching.normalise("  Søren  Aalund-Kjær ") == "søren ålund kjær"
    assert matching.fold("Søren Ålund") == "soren alund"
    assert matching.phone_digits("+45 22 11 33 44") == "22113344"
    assert matching.split_name("Anna Marie Holm") == ("anna marie", "holm")


def test_same_identity_number_is_certain():
    a = rec(1, given="Anna", family="Holm", ident="x")
    b = rec(2, given="Bo", family="Berg", ident="x")
    assert matching.score(a, b) == matching.CERTAIN
    assert matching.score(a, b, with_ident=False) < matching.REVIEW_THRESHOLD


def test_typos_and_swapped_names_still_match():
    a = rec(1, given="Mette", family="Andersen", birth="19840301", postcode="8900")
    typo = rec(2, given="Mete", family="Andresen", birth="19840301", postcode="8900")
    swapped = rec(3, given="Andersen", family="Mette", birth="19840301", postcode="8900")
    day_month = rec(4, given="Mette", family="Andersen", birth="19840103", postcode="8900")
    for other in (typo, swapped, day_month):
        assert matching.score(a, other) >= matching.REVIEW_THRESHOLD
        assert a.keys & other.keys, "blocking must keep the pair"


def test_different_people_do_not_match():
    a = rec(1, given="Mette", family="Andersen", birth="19840301", postcode="8900")
    b = rec(2, given="Mette", family="Andersen", birth="19501130", postcode="2100")
    c = rec(3, given="Jonas", family="Lund", birth="19840301", postcode="8900")
    assert matching.score(a, b) < matching.REVIEW_THRESHOLD
    assert matching.score(a, c) < matching.REVIEW_THRESHOLD


def test_find_duplicates_and_clusters():
    people = [
        rec(0, given="Anna", family="Holm", birth="19900101", phone="22113344"),
        rec(1, given="Ana", family="Holm", birth="19900101", phone="22113344"),
        rec(2, given="Anna", family="Holme", birth="19900101"),
        rec(3, given="Bo", family="Berg", birth="19700505"),
    ]
    pairs = {(i, j) for i, j, _s in matching.find_duplicates(people)}
    assert (0, 1) in pairs and all(3 not in p for p in pairs)
    assert matching.clusters(4, pairs) == [[0, 1, 2]]


def test_link_two_lists():
    left = [rec("a", given="Anna", family="Holm", birth="19900101")]
    right = [rec("x", given="Bo", family="Berg", birth="19700505"),
             rec("y", given="Anna", family="Holm", birth="19900101")]
    assert [(i, j) for i, j, _s in matching.link(left, right)] == [(0, 1)]
