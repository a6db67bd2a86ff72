from __future__ import annotations

from django.db.models import QuerySet

from .models import Municipality, Postcode, PostcodeMunicipality, Region


def regions() -> QuerySet[Region]:
    return Region.objects.all()


def municipalities(*, region_code: int | None = None) -> QuerySet[Municipality]:
    qs = Municipality.objects.select_related("region")
    if region_code is not None:
        qs = qs.filter(region_id=region_code)
    return qs


def municipality(code: int) -> Municipality | None:
    return Municipality.objects.select_related("region").filter(code=code).first()


def postcode(code: str) -> Postcode | None:
    return Postcode.objects.filter(code=code.strip()).first()


def postcode_municipalities(code: str) -> list[PostcodeMunicipality]:
    """The municipalities a postcode reaches into, primary candidate first."""
    return list(
        PostcodeMunicipality.objects.filter(postcode_id=code.strip())
        .select_related("municipality__region")
        .order_by("rank")
    )
