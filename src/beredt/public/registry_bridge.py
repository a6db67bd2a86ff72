"""Turns a confirmed self-registration into a registry registration.

Uses the registry's own service (:func:`beredt.registry.services.register_person`), so a
self-registration gets the same validation, consent records, duplicate matching and audit
as a registration made by staff. It is marked by its registration point of kind
``self`` ("Self-registration") and its consents are recorded with method ``digital`` at the
moment the citizen sent the form. The self-registration's id is the registry ``client_id``,
so confirming twice can never create two registrations.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from beredt.registry import services as registry_services
from beredt.registry.models import Channel, ConsentKind, ConsentMethod, Need, PersonRole, PointKind

from .models import SelfRegistration, SelfRegistrationRelation

ROLE_OF_RELATION = {
    SelfRegistrationRelation.PRESENT: PersonRole.UNINJURED,
    SelfRegistrationRelation.WITNESS: PersonRole.WITNESS,
    SelfRegistrationRelation.RELATIVE: PersonRole.RELATIVE,
    SelfRegistrationRelation.OTHER: PersonRole.OTHER,
}


def person_data(item: SelfRegistration) -> dict:
    notes = []
    if item.children_affected:
        notes.append(_("Children under 18 in the family are affected too (self-registration)."))
    if item.message:
        notes.append(_("Message from the person: %(message)s") % {"message": item.message})
    return {
        "role": ROLE_OF_RELATION.get(item.relation, PersonRole.OTHER),
        "full_name": item.full_name,
        "phone": item.phone,
        "email": item.email,
        "postcode": item.postcode,
        "preferred_language": item.language,
        "need": Need.FOLLOWUP_WANTED,
        "note": "\n".join(notes),
    }


def consents(item: SelfRegistration) -> list[dict]:
    channels = ([Channel.PHONE, Channel.SMS] if item.phone else []) + (
        [Channel.EMAIL] if item.email else [])
    common = {"method": ConsentMethod.DIGITAL, "given_at": item.submitted_at}
    return [
        {"kind": ConsentKind.REGISTRATION, **common},
        {"kind": ConsentKind.FOLLOWUP, "channels": channels, **common},
    ]


def create_registration(*, by, item: SelfRegistration) -> uuid.UUID:
    registration, _created = registry_services.register_person(
        incident=item.incident, by=by, client_id=item.pk, data=person_data(item),
        point_kind=PointKind.SELF, consents=consents(item), registered_at=item.submitted_at,
    )
    return registration.pk
