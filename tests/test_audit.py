import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import RequestFactory

from beredt.core import audit, dbguard
from beredt.core.middleware import _current_request
from beredt.core.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


def test_record_takes_user_and_ip_from_the_request(make_user):
    user = make_user("auditor")
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    request.user = user
    token = _current_request.set(request)
    try:
        event = audit.record(action=AuditAction.VIEW, obj=user, fields=["phone", "email"])
    finally:
        _current_request.reset(token)
    event.refresh_from_db()
    assert (event.actor, event.actor_username, event.ip) == (user, "auditor", "10.1.2.3")
    assert event.object_type == "accounts.user"
    assert event.object_id == str(user.pk)
    assert event.fields == ["email", "phone"]


def test_proxy_header_is_used_only_behind_a_trusted_proxy(settings, make_user):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1",
                                   HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.7")
    assert audit.record(action="view", object_type="x", request=request).ip == "127.0.0.1"
    settings.TRUSTED_PROXY_HOPS = 1  # the proxy appended 192.0.2.7; 10.9.9.9 is the client's
    assert audit.record(action="view", object_type="x", request=request).ip == "192.0.2.7"


def test_record_many_writes_one_row_per_object(make_user):
    users = [make_user() for _ in range(3)]
    assert audit.record_many(action=AuditAction.EXPORT, objects=users, fields=["name"]) == 3
    assert AuditEvent.objects.filter(action="export").count() == 3


def test_model_refuses_change_and_delete():
    event = audit.record(action="view", object_type="x")
    event.reason = "changed"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="x")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_database_refuses_update_and_delete_around_the_model():
    event = audit.record(action="view", object_type="x")
    dbguard.AUDIT_DELETE_ALLOWED = False
    try:
        for sql in (
            "UPDATE core_auditevent SET reason = 'x' WHERE id = %s",
            "DELETE FROM core_auditevent WHERE id = %s",
        ):
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql, [event.pk])
    finally:
        dbguard.AUDIT_DELETE_ALLOWED = True
    assert AuditEvent.objects.filter(pk=event.pk, reason="").exists()


def test_login_and_failed_login_are_audited(client, make_user):
    make_user("karen")
    client.post("/accounts/login/", {"username": "karen", "password": "wrong"})
    client.post("/accounts/login/", {"username": "karen", "password": "test-password-123"})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["login_failed", "login"]
    failed = AuditEvent.objects.get(action="login_failed")
    assert failed.extra == {"username": "karen"}
    assert failed.ip == "127.0.0.1"
