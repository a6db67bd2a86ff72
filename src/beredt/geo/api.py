"""Reference geography for forms and integrations; public (no personal data)."""

import re

from django.utils.translation import gettext as _
from ninja import Router, Schema

from beredt.core.errors import NotFound, ValidationFailed

from . import selectors

router = Router(tags=["geo"])


class RegionOut(Schema):
    code: int
    name: str


class MunicipalityOut(Schema):
    code: int
    name: str
    region_code: int
    region_name: str


class PostcodeMunicipalityOut(MunicipalityOut):
    primary: bool


class PostcodeOut(Schema):
    postcode: str
    name: str
    primary_certain: bool
    municipalities: list[PostcodeMunicipalityOut]


def _municipality_out(m) -> dict:
    return {
        "code": m.code,
        "name": m.name,
        "region_code": m.region_id,
        "region_name": m.region.name,
    }


@router.get("/regions", response=list[RegionOut], auth=None, summary="The 5 regions")
def list_regions(request):
    return list(selectors.regions())


@router.get(
    "/municipalities",
    response=list[MunicipalityOut],
    auth=None,
    summary="The 98 municipalities with their region",
)
def list_municipalities(request, region: int | None = None):
    return [_municipality_out(m) for m in selectors.municipalities(region_code=region)]


@router.get(
    "/postcodes/{postcode}",
    response=PostcodeOut,
    auth=None,
    summary="The municipalities a postcode reaches into, primary candidate first",
)
def get_postcode(request, postcode: str):
    if not re.fullmatch(r"\d{4}", postcode.strip()):
        raise ValidationFailed(
            _("A postcode has 4 digits."), code="invalid_postcode", field="postcode"
        )
    pc = selectors.postcode(postcode)
    links = selectors.postcode_municipalities(postcode) if pc else []
    if pc is None or not links:
        raise NotFound(
            _("Unknown postcode %(postcode)s.") % {"postcode": postcode}, code="unknown_postcode"
        )
    return {
        "postcode": pc.code,
        "name": pc.name,
        "primary_certain": links[0].primary_by_name or len(links) == 1,
        "municipalities": [
            {**_municipality_out(link.municipality), "primary": link.rank == 0} for link in links
        ],
    }
