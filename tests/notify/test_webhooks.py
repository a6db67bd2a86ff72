"""Plan webhooks (issue 25): no internal targets (checked after DNS resolution, the
connection pinned to the checked address), no redirects, HMAC-signed bodies."""

from __future__ import annotations

import hashlib
import hmac
import json

import pytest

from beredt.notify import services
from beredt.notify.models import MessageStatus
from beredt.notify.transports import TransportError, internal_address, post_webhook


def _send(url):
    message = services.queue_webhook(url=url, subject="Alarm", body="Tekst", purpose="alarm",
                                     reference="incident:x")
    services.deliver([message.pk])
    message.refresh_from_db()
    return message


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1", "224.0.0.1",  # noqa: S104
])
def test_internal_addresses(address):
    assert internal_address(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "2a00:1450:4001::1"])
def test_public_addresses(address):
    assert not internal_address(address)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/hook", "http://localhost:9/hook",
                                 "http://[::1]:9/", "http://169.254.169.254/latest/meta-data"])
def test_webhooks_to_internal_addresses_are_refused(db, url, settings):
    settings.NOTIFY_WEBHOOK_ALLOW_INTERNAL = False
    with pytest.raises(TransportError) as caught:
        post_webhook(url, {"x": 1}, timeout=2)
    assert caught.value.permanent
    assert _send(url).status == MessageStatus.FAILED


def test_a_loopback_receiver_is_refused_unless_allowed(db, sms_gateway, settings):
    settings.NOTIFY_WEBHOOK_ALLOW_INTERNAL = False
    assert _send(f"{sms_gateway.url}/hook").status == MessageStatus.FAILED
    assert sms_gateway.requests == []
    settings.NOTIFY_WEBHOOK_ALLOW_INTERNAL = True
    assert _send(f"{sms_gateway.url}/hook").status == MessageStatus.SENT
    assert len(sms_gateway.requests) == 1


def test_webhooks_are_signed(db, sms_gateway, settings):
    settings.NOTIFY_WEBHOOK_ALLOW_INTERNAL = True
    settings.NOTIFY_WEBHOOK_SECRET = "s3cret"
    _send(f"{sms_gateway.url}/hook?x=1")
    [request] = sms_gateway.requests
    assert request["path"] == "/hook?x=1"
    fields = dict(part.split("=", 1) for part in request["signature"].split(","))
    expected = hmac.new(b"s3cret", f"{fields['t']}.".encode() + request["raw"],
                        hashlib.sha256).hexdigest()
    assert hmac.compare_digest(fields["v1"], expected)
    assert json.loads(request["raw"])["text"] == "Tekst"


def test_redirects_are_not_followed(db, sms_gateway, settings):
    settings.NOTIFY_WEBHOOK_ALLOW_INTERNAL = True
    sms_gateway.status = 302
    with pytest.raises(TransportError) as caught:
        post_webhook(f"{sms_gateway.url}/hook", {"x": 1}, timeout=2)
    assert caught.value.permanent and len(sms_gateway.requests) == 1


def test_a_plan_cannot_be_given_an_internal_webhook(db, settings):
    from beredt.activation.plan_services import _webhook
    from beredt.core.errors import ValidationFailed

    settings.NOTIFY_WEBHOOK_ALLOW_INTERNAL = False
    for url in ("http://127.0.0.1/hook", "http://10.0.0.5/x", "http://localhost/"):
        with pytest.raises(ValidationFailed) as caught:
            _webhook(url)
        assert (caught.value.code, caught.value.field) == ("webhook_internal", "webhook_url")
    # A name that does not resolve now is accepted and checked again when sending.
    assert _webhook("https://kontrolrum.invalid/hook") == "https://kontrolrum.invalid/hook"
