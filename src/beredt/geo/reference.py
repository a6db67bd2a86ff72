"""Loading the shipped reference files. Used by migration 0002 (with historical models)
and by ``beredt loadgeo``; idempotent (update or create, never duplicates)."""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_regions() -> list[dict]:
    with open(DATA_DIR / "regions.csv", encoding="utf-8") as fh:
        return [
            {"code": int(r["region_code"]), "name": r["region_name"].strip()}
            for r in csv.DictReader(fh)
        ]


def read_municipalities() -> list[dict]:
    with open(DATA_DIR / "municipalities.csv", encoding="utf-8") as fh:
        return [
            {
                "code": int(r["municipality_code"]),
                "name": r["municipality_name"].strip(),
                "region_code": int(r["region_code"]),
            }
            for r in csv.DictReader(fh)
        ]


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("kommune", "").strip()


def read_postcodes(known_municipalities: set[int]) -> dict[str, dict]:
    """``{postcode: {"name", "municipalities": [codes, primary first], "by_name"}}``.

    The primary is the municipality whose name starts the town name (2750 Ballerup → 151
    Ballerup); otherwise the first listed (file order). Rows for municipalities outside
    the division (Christiansø, 411) are left out.
    """
    grouped: dict[str, list[tuple[int, str]]] = defaultdict(list)
    names: dict[str, str] = {}
    with open(DATA_DIR / "postcodes.csv", encoding="utf-8-sig") as fh:
        for r in csv.DictReader(fh, delimiter=";"):
            code = int(r["KOMMUNE_NR"])
            if code not in known_municipalities:
                continue
            postcode = r["POSTNR"].strip().zfill(4)
            names.setdefault(postcode, r["BYNAVN"].strip())
            if code not in [c for c, _ in grouped[postcode]]:
                grouped[postcode].append((code, r["ADRESSERINGSNAVN_1"].strip()))
    result = {}
    for postcode, members in grouped.items():
        town = _fold(names[postcode])
        by_name = [c for c, mun_name in members if town.startswith(_fold(mun_name))]
        order = [c for c, _ in members]
        if by_name:
            order.remove(by_name[0])
            order.insert(0, by_name[0])
        result[postcode] = {
            "name": names[postcode],
            "municipalities": order,
            "by_name": bool(by_name),
        }
    return result


def load(Region, Municipality, Postcode, PostcodeMunicipality) -> dict[str, int]:
    # Insert-or-update in one statement per table: the same on a fresh database, after a
    # test flush and when a newer file renames a town.
    def upsert(model, rows, fields):
        model.objects.bulk_create(
            [model(**row) for row in rows],
            update_conflicts=True, unique_fields=["code"], update_fields=fields,
        )

    upsert(Region, read_regions(), ["name"])
    municipalities = read_municipalities()
    upsert(
        Municipality,
        [{"code": m["code"], "name": m["name"], "region_id": m["region_code"]}
         for m in municipalities],
        ["name", "region"],
    )
    postcodes = read_postcodes({m["code"] for m in municipalities})
    upsert(Postcode, [{"code": code, "name": pc["name"]} for code, pc in postcodes.items()],
           ["name"])
    PostcodeMunicipality.objects.all().delete()
    PostcodeMunicipality.objects.bulk_create(
        [
            PostcodeMunicipality(
                postcode_id=code,
                municipality_id=mun,
                rank=rank,
                primary_by_name=pc["by_name"] and rank == 0,
            )
            for code, pc in postcodes.items()
            for rank, mun in enumerate(pc["municipalities"])
        ]
    )
    return {
        "regions": Region.objects.count(),
        "municipalities": Municipality.objects.count(),
        "postcodes": Postcode.objects.count(),
    }
