"""The support tool's texts: both staff languages carry the same guide ids and quiz keys,
and the guide holds the three phases of seed 003, appendix 2."""

from beredt.support import content


def test_guide_has_the_three_phases_of_appendix_2_in_both_languages():
    da, en = content.guide("da"), content.guide("en")
    assert [p["id"] for p in da["phases"]] == ["crisis", "health", "closing"]
    assert [p["id"] for p in da["phases"]] == [p["id"] for p in en["phases"]]
    for pda, pen in zip(da["phases"], en["phases"], strict=True):
        assert [q["id"] for q in pda["questions"]] == [q["id"] for q in pen["questions"]]
    texts = [q["text"] for p in da["phases"] for q in p["questions"]]
    assert "Hvordan har du sovet de sidste døgn?" in texts
    assert "Lav en plan" in da["structure"]["points"]
    assert "kontakte dig igen" in da["contact_again"]["question"]


def test_quizzes_have_the_same_questions_and_answers_in_both_languages():
    for role in content.ROLES:
        da, en = content.quiz(role, "da"), content.quiz(role, "en")
        assert da and en, role
        assert [(q["id"], q["answer"], len(q["options"])) for q in da["questions"]] == \
            [(q["id"], q["answer"], len(q["options"])) for q in en["questions"]], role
        for q in da["questions"]:
            assert 0 <= q["answer"] < len(q["options"])


def test_every_role_has_a_checklist_and_reference_pages_render():
    for lang in content.LANGUAGES:
        assert {c["role"] for c in content.checklists(lang)} == set(content.ROLES)
        for page in content.reference_pages(lang):
            html = content.reference_html(page["slug"], lang)
            assert html and "<h1>" in html
    assert "<table>" in content.reference_html("referral", "da")
    assert content.reference_html("nope", "da") is None
