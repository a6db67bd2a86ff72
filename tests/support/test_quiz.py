"""Self-tests: scoring against the answer key, results kept per person, who sees them."""

import pytest

from beredt.core.errors import NotFound, ValidationFailed
from beredt.organisations.models import Role
from beredt.support import content, selectors, services
from beredt.support.models import QuizAttempt


def answers(role, *, wrong=0):
    quiz = content.quiz(role, "da")
    result = {}
    for n, q in enumerate(quiz["questions"]):
        result[q["id"]] = q["answer"] if n >= wrong else (q["answer"] + 1) % len(q["options"])
    return result


def test_all_right_passes_and_is_kept(make_user):
    user = make_user()
    attempt = services.record_quiz_attempt(user=user, role="crisis_team",
                                           answers=answers("crisis_team"))
    assert (attempt.score, attempt.total, attempt.passed) == (5, 5, True)
    assert QuizAttempt.objects.get().user == user


def test_two_wrong_of_five_does_not_pass(make_user):
    attempt = services.record_quiz_attempt(user=make_user(), role="kop",
                                           answers=answers("kop", wrong=2))
    assert (attempt.score, attempt.passed) == (3, False)


def test_one_wrong_of_five_passes_at_80_percent(make_user):
    assert services.record_quiz_attempt(user=make_user(), role="registrar",
                                        answers=answers("registrar", wrong=1)).passed


def test_unanswered_or_unknown_is_refused_and_nothing_kept(make_user):
    user = make_user()
    partial = answers("frontline")
    partial.pop(next(iter(partial)))
    with pytest.raises(ValidationFailed):
        services.record_quiz_attempt(user=user, role="frontline", answers=partial)
    with pytest.raises(ValidationFailed):
        services.record_quiz_attempt(user=user, role="frontline",
                                     answers={**answers("frontline"), "where": 9})
    with pytest.raises(NotFound):
        services.record_quiz_attempt(user=user, role="nobody", answers={})
    assert not QuizAttempt.objects.exists()


def test_results_are_visible_to_the_person_and_the_leads_of_their_organisation(make_user, orgs):
    member = make_user("member", roles=[(orgs.centre, Role.CRISIS_TEAM)])
    lead = make_user("lead", roles=[(orgs.kommune, Role.PREPAREDNESS_LEAD)])
    colleague = make_user("colleague", roles=[(orgs.centre, Role.CRISIS_TEAM)])
    outsider_lead = make_user("outsider", roles=[(orgs.psych, Role.HL)])
    attempt = services.record_quiz_attempt(user=member, role="crisis_team",
                                           answers=answers("crisis_team"))
    assert attempt in selectors.quiz_attempts_visible_to(member)
    assert attempt in selectors.quiz_attempts_visible_to(lead)
    assert attempt not in selectors.quiz_attempts_visible_to(colleague)
    assert attempt not in selectors.quiz_attempts_visible_to(outsider_lead)


def test_quiz_page_scores_and_shows_explanations(client, make_user):
    user = make_user()
    client.force_login(user)
    assert client.get("/support/quiz/kop/").status_code == 200
    response = client.post("/support/quiz/kop/", answers("kop", wrong=1))
    body = response.content.decode()
    assert response.status_code == 200 and "4/5" in body
    assert content.quiz("kop", "da")["questions"][0]["explain"] in body
    assert QuizAttempt.objects.get(user=user).score == 4
    assert "4/5" in client.get("/support/").content.decode()
    assert client.post("/support/quiz/kop/", {}).status_code == 400
    assert client.get("/support/quiz/nobody/").status_code == 404


def test_training_page_lists_results(client, make_user, orgs):
    member = make_user("member", roles=[(orgs.centre, Role.CRISIS_TEAM)],
                       first_name="Mette", last_name="Madsen")
    services.record_quiz_attempt(user=member, role="crisis_team", answers=answers("crisis_team"))
    lead = make_user("lead", roles=[(orgs.kommune, Role.PREPAREDNESS_LEAD)])
    client.force_login(lead)
    assert "Mette" in client.get("/support/training/").content.decode()
