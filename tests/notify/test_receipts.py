"""SMS delivery receipts: the gateway's callback moves a message to delivered or failed,
once per gateway id and status, and only with the shared secret."""

import pytest

from beredt.notify import delivery, services
from beredt.notify.models import Channel, DeliveryReceipt, Message, MessageStatus

URL = "/api/v1/notify/receipts/sms"
SECRET = "receipt-secret-for-tests"


@pytest.fixture
def person(make_user):
    return make_user("modtager", phone="+45 20 30 40 50", first_name="Mona")


@pytest.fixture
def secret(settings):
    settings.NOTIFY_SMS_RECEIPT_SECRET = SECRET
    return SECRET


def _sms(person) -> Message:
    [message] = services.queue_messages(
        recipients=[person], channels=[Channel.SMS], subject="Alarm", body="Mød op"
    )
    services.deliver([message.pk])
    message.refresh_from_db()
    return message


def _post(client, payload, secret=SECRET):
    return client.post(
        URL, payload, content_type="application/json", headers={"Authorization": f"Bearer {secret}"}
    )


@pytest.mark.django_db(transaction=True)
def test_real_gateway_reports_delivered_to_the_callback(person, secret, sms_gateway, live_server):
    message = _sms(person)
    sms_gateway.receipt_url, sms_gateway.receipt_secret = live_server.url + URL, secret
    [record] = sms_gateway.accepted
    status = sms_gateway.send_receipt(sms_gateway.receipt_for(record))
    [(payload, _status)] = sms_gateway.receipts
    assert status == 200 and payload["id"] == message.provider_id
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED and message.delivered_at is not None


@pytest.mark.django_db(transaction=True)
def test_real_gateway_reports_failed_with_a_danish_reason(
    person, secret, sms_gateway, live_server
):
    sms_gateway.undeliverable.add("+4520304050")
    message = _sms(person)
    sms_gateway.receipt_url, sms_gateway.receipt_secret = live_server.url + URL, secret
    [record] = sms_gateway.accepted
    assert sms_gateway.send_receipt(sms_gateway.receipt_for(record)) == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    from django.utils import translation

    with translation.override("da"):
        assert delivery.reason(message).startswith("telefonnettet kunne ikke levere den")


def test_retried_receipt_does_not_double_count(person, secret, sms_gateway, client):
    message = _sms(person)
    payload = {"id": message.provider_id, "status": "delivered"}
    first, again = _post(client, payload), _post(client, payload)
    assert first.status_code == again.status_code == 200
    assert first.json()["changed"] is True and again.json()["changed"] is False
    assert DeliveryReceipt.objects.filter(message=message).count() == 1
    delivered_at = Message.objects.get(pk=message.pk).delivered_at
    _post(client, payload)
    assert Message.objects.get(pk=message.pk).delivered_at == delivered_at


def test_failed_after_delivered_changes_nothing(person, secret, sms_gateway, client):
    message = _sms(person)
    _post(client, {"id": message.provider_id, "status": "delivered"})
    late = _post(client, {"id": message.provider_id, "status": "failed"})
    assert late.status_code == 200 and late.json()["changed"] is False
    assert Message.objects.get(pk=message.pk).status == MessageStatus.DELIVERED


def test_receipt_before_the_sender_marked_it_sent_is_kept_and_applied(
    person, secret, sms_gateway, client
):
    [message] = services.queue_messages(
        recipients=[person], channels=[Channel.SMS], subject="Alarm", body="Mød op"
    )
    early = _post(client, {"id": "gw-1", "status": "delivered", "reference": str(message.pk)})
    assert early.status_code == 200 and early.json()["status"] == "queued"
    services.deliver([message.pk])  # the gateway answers gw-1
    message.refresh_from_db()
    assert message.provider_id == "gw-1" and message.status == MessageStatus.DELIVERED


@pytest.mark.parametrize("header", [None, "Bearer wrong", "Basic x"])
def test_receipt_needs_the_shared_secret(person, secret, sms_gateway, client, header):
    message = _sms(person)
    headers = {"Authorization": header} if header else {}
    response = client.post(
        URL,
        {"id": message.provider_id, "status": "delivered"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENT


def test_without_a_configured_secret_every_receipt_is_refused(person, sms_gateway, client):
    message = _sms(person)
    response = _post(client, {"id": message.provider_id, "status": "delivered"}, secret="")
    assert response.status_code == 401


def test_unknown_gateway_id_is_404(db, secret, client):
    response = _post(client, {"id": "gw-nobody", "status": "delivered"})
    assert response.status_code == 404 and response.json()["code"] == "unknown_message"


def test_other_states_are_recorded_but_move_nothing(person, secret, sms_gateway, client):
    message = _sms(person)
    response = _post(client, {"id": message.provider_id, "status": "buffered"})
    assert response.status_code == 200 and response.json()["changed"] is False
    assert Message.objects.get(pk=message.pk).status == MessageStatus.SENT
    assert DeliveryReceipt.objects.filter(message=message, status="buffered").exists()
