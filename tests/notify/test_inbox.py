from beredt.notify import services
from beredt.notify.models import Channel


def _in_app(user, text="Hej"):
    [m] = services.queue_messages(
        recipients=[user], channels=[Channel.IN_APP], subject="S", body=text
    )
    services.deliver([m.pk])
    return m


def test_inbox_api_lists_only_own_messages_and_marks_read(make_user, api_client):
    me, other = make_user("mig"), make_user("anden")
    mine = _in_app(me, "Til mig")
    theirs = _in_app(other, "Til anden")
    client = api_client(me)
    items = client.get("/api/v1/notify/inbox").json()["items"]
    assert [i["body"] for i in items] == ["Til mig"]
    assert client.post(f"/api/v1/notify/inbox/{theirs.pk}/read").status_code == 404
    assert client.post(f"/api/v1/notify/inbox/{mine.pk}/read").json()["read_at"]
    assert client.get("/api/v1/notify/inbox?unread=true").json()["items"] == []


def test_inbox_page(make_user, client):
    me = make_user("mig")
    _in_app(me, "Mød på rådhuset")
    client.force_login(me)
    page = client.get("/notify/")
    assert "Mød på rådhuset" in page.content.decode()
