"""Shared helpers for benchmarks: a fresh database per run, percentiles, a printed table.

Each benchmark is a script (``python benchmarks/bench_x.py [--db sqlite|postgres|both]``)
that prints its figures; ``make bench`` runs them all via ``benchmarks/run.py``. They are
never assertions in the test suite.

PostgreSQL: ``BEREDT_BENCH_DATABASE_URL`` (default postgres://127.0.0.1:5432/beredt_bench;
the database is dropped and created afresh). SQLite: a new file under var/bench/.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("BEREDT_BENCH_DATABASE_URL", "postgres://127.0.0.1:5432/beredt_bench")


def fresh_database(kind: str) -> dict[str, str]:
    """Environment variables that point Beredt at a new, empty, migrated database."""
    env = {"DJANGO_SETTINGS_MODULE": "beredt.settings"}
    if kind == "postgres":
        url = urlparse(PG_URL)
        name = url.path.lstrip("/")
        admin = url._replace(path="/postgres").geturl()
        import psycopg

        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = PG_URL
    elif kind == "sqlite":
        folder = ROOT / "var" / "bench"
        folder.mkdir(parents=True, exist_ok=True)
        path = tempfile.mktemp(suffix=".sqlite3", dir=folder)  # noqa: S306 - fresh file name
        env["BEREDT_SQLITE_PATH"] = path
        os.environ.pop("DATABASE_URL", None)
    else:
        raise SystemExit(f"unknown database kind {kind!r}")
    os.environ.update(env)
    subprocess.run(
        [sys.executable, "-m", "beredt.manage", "migrate", "-v", "0", "--noinput"],
        check=True,
        env={**os.environ, **env},
    )
    return env


def setup_django(kind: str) -> dict[str, str]:
    env = fresh_database(kind)
    import django

    django.setup()
    return env


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary_ms(values_s: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values_s]
    return {
        "n": len(ms),
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "p99_ms": percentile(ms, 99),
        "mean_ms": statistics.fmean(ms) if ms else float("nan"),
    }


def print_table(title: str, rows: list[dict]) -> None:
    print(f"\n## {title}")
    if not rows:
        print("(no rows)")
        return
    cols = list(rows[0])
    widths = {c: max(len(c), *(len(_fmt(r.get(c))) for r in rows)) for c in cols}
    print(" | ".join(c.ljust(widths[c]) for c in cols))
    print("-|-".join("-" * widths[c] for c in cols))
    for r in rows:
        print(" | ".join(_fmt(r.get(c)).ljust(widths[c]) for c in cols))
    sys.stdout.flush()


def _fmt(value) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    return "" if value is None else str(value)


def run_per_database(script: str, db: str, args: list[str]) -> list[dict]:
    """Run ``script --db KIND ARGS --child`` once per database (``db``: sqlite, postgres or
    both) in a fresh process each, and collect the rows each child printed as one line
    ``ROWS <json list>``. A child that printed none fails the benchmark with its output."""
    root = Path(__file__).resolve().parent.parent
    rows: list[dict] = []
    for kind in ["sqlite", "postgres"] if db == "both" else [db]:
        out = subprocess.run([sys.executable, script, "--db", kind, *args, "--child"],
                             cwd=root, capture_output=True, text=True)
        line = next((x for x in out.stdout.splitlines() if x.startswith("ROWS ")), None)
        if line is None:
            print(out.stdout[-3000:], out.stderr[-3000:])
            raise SystemExit(f"{kind}: benchmark failed")
        rows += json.loads(line[5:])
    return rows
