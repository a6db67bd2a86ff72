"""Editing in the Django admin keeps history: who changed which number when."""

from beredt.directory.models import Phone
from beredt.directory.services import seed_uuid


def test_changing_a_number_in_the_admin_is_recorded_with_the_user(client, make_user,
                                                                  seeded_with_history):
    root = make_user("root", superuser=True)
    client.force_login(root)
    phone = Phone.objects.get(service_id=seed_uuid("syddjurs-akut"))
    url = f"/admin/directory/phone/{phone.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, {"service": phone.service_id, "number": "51356477",
                                 "description": "", "type": "voice", "rank": 0})
    assert response.status_code == 302, response.content.decode()[:2000]
    latest = phone.history.order_by("-history_date").first()
    assert latest.number == "51356477" and latest.history_user == root
    assert latest.prev_record.number == "51356476"
    history_page = client.get(f"/admin/directory/phone/{phone.pk}/history/")
    assert history_page.status_code == 200
    assert "51356477" in history_page.content.decode()
    service_page = client.get(f"/admin/directory/service/{phone.service_id}/change/")
    assert service_page.status_code == 200
