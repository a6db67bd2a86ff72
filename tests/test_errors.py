import json

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from tests.testapp.models import Counter

pytestmark = pytest.mark.django_db


def test_unknown_api_path_is_json_404(client):
    response = client.get("/api/v1/does-not-exist")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_unknown_page_is_a_danish_404_page(client, make_user):
    client.force_login(make_user())
    response = client.get("/does-not-exist/")
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_csrf_failure_page_is_danish(make_user):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "Formularen er udløbet" in response.content.decode()


def test_server_error_on_api_is_json(client, settings):
    from beredt.core.views import server_error

    request = client.get("/api/v1/geo/regions").wsgi_request
    response = server_error(request)
    assert response.status_code == 500
    assert b'"code": "server_error"' in response.content


def _integrity_error(make) -> IntegrityError:
    """The IntegrityError the database raises for ``make()``."""
    try:
        with transaction.atomic():
            make()
    except IntegrityError as exc:
        return exc
    raise AssertionError("the database accepted it")


@pytest.mark.parametrize(("make", "status", "code"), [
    (lambda: [Counter.objects.create(unique_name="x") for _ in range(2)], 409, "already_exists"),
    (lambda: Counter.objects.create(n=None), 422, "constraint_violated"),
])
def test_an_integrity_error_reaching_the_api_is_a_4xx_with_a_code(rf, make, status, code):
    from beredt.core.api import api

    exc = _integrity_error(make)
    request = rf.post("/api/v1/anything", HTTP_ACCEPT_LANGUAGE="da")
    response = api.on_exception(request, exc)
    assert response.status_code == status
    body = json.loads(response.content)
    assert body["code"] == code
    assert str(exc) not in body["detail"]  # the database text (it can hold values) stays out


def test_validation_failed_carries_every_problem():
    from beredt.core.errors import DomainError, ValidationFailed

    exc = ValidationFailed(errors=[DomainError("Name missing", code="required", field="name"),
                                   DomainError("Bad mail", code="email_invalid", field="email")])
    assert (exc.code, exc.field, str(exc.message)) == ("required", "name", "Name missing")
    body = exc.as_dict()
    assert [(e["field"], e["code"]) for e in body["errors"]] == [("name", "required"),
                                                                ("email", "email_invalid")]
    single = ValidationFailed("Too late", code="too_late", field="ends_at")
    assert [(e.code, e.field) for e in single.errors] == [("too_late", "ends_at")]


def test_add_to_form_puts_each_problem_on_the_field_it_names():
    from django import forms

    from beredt.core.errors import DomainError, ValidationFailed, add_to_form

    class Form(forms.Form):
        organisation = forms.CharField(required=False)
        full_name = forms.CharField(required=False)
        note = forms.CharField(required=False)

    form = Form({})
    assert form.is_valid()
    add_to_form(form, ValidationFailed(errors=[
        DomainError("no such organisation", field="organisation_id"),
        DomainError("name missing", field="payload.full_name"),
        DomainError("other", field="not_on_the_form"),
        DomainError("whole form"),
    ]))
    assert form.errors == {"organisation": ["no such organisation"],
                           "full_name": ["name missing"], "__all__": ["other", "whole form"]}
    other = Form({})
    assert other.is_valid()
    add_to_form(other, DomainError("a note is needed", field="note"))
    assert other.errors == {"note": ["a note is needed"]}
