"""Delivery over real local servers: SMTP (aiosmtpd) and an HTTP SMS gateway."""

import pytest

from beredt.notify import selectors, services
from beredt.notify.models import Channel, DeliveryAttempt, Message, MessageStatus


@pytest.fixture
def person(make_user):
    return make_user("modtager", phone="+45 20 30 40 50", first_name="Mona")


def _send(users, channels, *, all_channels=True, **kw):
    messages = services.queue_messages(
        recipients=users,
        channels=channels,
        subject="Alarm",
        body=kw.pop("body", "Mød op på EPC"),
        all_channels=all_channels,
        **kw,
    )
    return services.deliver([m.pk for m in messages])


def test_email_is_accepted_by_smtp_server(person, smtp_server):
    [message] = _send([person], [Channel.EMAIL])
    assert message.status == MessageStatus.SENT
    [mail] = smtp_server.to("modtager@example.org")
    assert mail["Subject"] == "Alarm"
    assert "Mød op på EPC" in mail.get_content()


def test_sms_goes_to_gateway_as_json_with_auth_header(person, sms_gateway):
    [message] = _send([person], [Channel.SMS])
    [request] = sms_gateway.requests
    assert request["auth"] == "Bearer test-gateway-key"
    assert request["body"]["to"] == "+4520304050"
    assert request["body"]["text"] == "Mød op på EPC"
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.provider_id == "gw-1"


def test_gateway_failing_twice_then_succeeding_delivers_once(person, sms_gateway):
    sms_gateway.fail_next = 2
    [message] = _send([person], [Channel.SMS])
    assert len(sms_gateway.requests) == 3
    assert len(sms_gateway.accepted) == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT and message.attempts == 3
    log = list(DeliveryAttempt.objects.filter(message=message).values_list("ok", "permanent"))
    assert log == [(False, False), (False, False), (True, False)]


def test_temporary_failures_give_up_after_max_attempts(person, sms_gateway, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 3
    sms_gateway.fail_next = 10
    [message] = _send([person], [Channel.SMS])
    assert message.status == MessageStatus.FAILED
    assert len(sms_gateway.requests) == 3 and not sms_gateway.accepted


def test_permanently_failing_channel_falls_over_to_next(person, sms_gateway, smtp_server):
    sms_gateway.status = 400
    handled = _send([person], [Channel.SMS, Channel.EMAIL], all_channels=False)
    sms, mail = handled
    assert (sms.channel, sms.status) == (Channel.SMS, MessageStatus.FAILED)
    assert len(sms_gateway.requests) == 1  # permanent: no retry
    assert (mail.channel, mail.status, mail.fallback_of_id) == (Channel.EMAIL, "sent", sms.pk)
    assert len(smtp_server.to("modtager@example.org")) == 1


def test_rejected_mailbox_is_permanent_and_falls_over_to_in_app(person, smtp_server):
    smtp_server.reject.add("modtager@example.org")
    handled = _send([person], [Channel.EMAIL, Channel.IN_APP], all_channels=False)
    assert [(m.channel, m.status) for m in handled] == [("email", "failed"), ("in_app", "sent")]
    assert handled[0].attempts == 1
    assert list(selectors.inbox_of(person)) == [handled[1]]


def test_unreachable_smtp_server_is_temporary(person, settings):
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # discard port: refused
    settings.NOTIFY_MAX_ATTEMPTS, settings.NOTIFY_BACKOFF_SECONDS = 2, 0.01
    [message] = _send([person], [Channel.EMAIL])
    assert message.status == MessageStatus.FAILED and message.attempts == 2
    assert not DeliveryAttempt.objects.filter(message=message, permanent=True).exists()


def test_user_without_phone_gets_no_sms(make_user, sms_gateway):
    user = make_user("utelefon")
    assert (
        services.queue_messages(recipients=[user], channels=[Channel.SMS], subject="x", body="y")
        == []
    )


def test_exercise_messages_are_prefixed(person, smtp_server, sms_gateway):
    _send([person], [Channel.EMAIL, Channel.SMS], is_exercise=True)
    assert smtp_server.messages[0]["Subject"].startswith("ØVELSE")
    assert sms_gateway.accepted[0]["body"]["text"].startswith("ØVELSE: ")


def test_webhook_posts_json(db, sms_gateway, settings):
    settings.NOTIFY_WEBHOOK_ALLOW_INTERNAL = True  # the receiver listens on loopback
    message = services.queue_webhook(
        url=f"{sms_gateway.url}/hook",
        subject="Alarm",
        body="Tekst",
        purpose="alarm",
        reference="incident:x",
    )
    services.deliver([message.pk])
    [request] = sms_gateway.requests
    assert request["path"] == "/hook"
    assert request["body"]["text"] == "Tekst" and request["body"]["reference"] == "incident:x"


def test_many_messages_on_two_channels_all_arrive(make_user, smtp_server, sms_gateway):
    users = [make_user(f"p{i}", phone=f"+45 3000 {i:04d}") for i in range(30)]
    handled = _send(users, [Channel.EMAIL, Channel.SMS])
    assert all(m.status == "sent" for m in handled) and len(handled) == 60
    assert len(smtp_server.messages) == 30 and len(sms_gateway.accepted) == 30


def test_delivered_message_is_not_sent_again(person, sms_gateway):
    [message] = _send([person], [Channel.SMS])
    services.deliver([message.pk])
    assert len(sms_gateway.requests) == 1
    assert Message.objects.get(pk=message.pk).attempts == 1
