"""The table of apps in docs/architecture.md is the import contract, and the code keeps it.

Each row's "May import" cell becomes one import-linter ``forbidden`` contract (the app may
not import any other app of ours outside its cell; imports inside functions count) and the
same cell limits the app's string model references (``ForeignKey("incidents.Incident")``,
``apps.get_model("incidents", "Incident")``), which no import shows. A new app needs only
its row in the table and the same list in its ``__init__`` docstring.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from importlinter import api as _linter_api  # noqa: F401 - configures import-linter
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "beredt"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
ROW = re.compile(r"^\|\s*`(?P<app>[a-z_]+)`\s*\|(?P<owns>.*)\|(?P<imports>[^|]*)\|\s*$")
EVERYTHING = "everything"
NOTHING = "nothing of ours"


def read_table(text: str) -> dict[str, set[str]]:
    """{app: the apps it may import} from the Markdown table ("everything" resolved)."""
    table: dict[str, set[str] | None] = {}
    for line in text.splitlines():
        match = ROW.match(line)
        if not match:
            continue
        cell = match["imports"].strip()
        if cell == EVERYTHING:
            table[match["app"]] = None
        elif cell == NOTHING:
            table[match["app"]] = set()
        else:
            table[match["app"]] = {name.strip().strip("`") for name in cell.split(",")}
    return {app: (set(table) - {app} if allowed is None else allowed)
            for app, allowed in table.items()}


def beredt_apps() -> set[str]:
    return {config.label for config in django_apps.get_app_configs()
            if config.name.startswith("beredt.")}


@pytest.fixture(scope="module")
def table() -> dict[str, set[str]]:
    return read_table(ARCHITECTURE.read_text(encoding="utf-8"))


def test_every_app_has_one_row(table):
    assert set(table) == beredt_apps()
    for app, allowed in table.items():
        assert allowed <= set(table), f"{app} may import unknown apps {allowed - set(table)}"


def test_the_table_has_no_cycle(table):
    try:
        order = list(TopologicalSorter(table).static_order())
    except CycleError as error:  # pragma: no cover - shown when the table is wrong
        pytest.fail(f"docs/architecture.md allows an import cycle: {error.args[1]}")
    assert order[0] == "core"


def docstring_imports(doc: str, others: set[str]) -> set[str] | None:
    """The apps named on the ``May import:`` line of a docstring, up to the end of the
    sentence; remarks in parentheses are skipped. None when there is no such line."""
    if "May import:" not in doc:
        return None
    rest = re.sub(r"\([^)]*\)", "", doc.split("May import:", 1)[1])
    names = " ".join(re.match(r"(.*?)\.(\s|$)", rest, re.S)[1].split())
    if names.lower() == NOTHING:
        return set()
    if names.lower() == EVERYTHING:
        return set(others)
    return {name.strip().strip("`") for name in names.split(",")}


def test_app_docstrings_say_what_the_table_says(table):
    for app, allowed in table.items():
        doc = importlib.import_module(f"beredt.{app}").__doc__ or ""
        said = docstring_imports(doc, set(table) - {app})
        assert said == allowed, (
            f"beredt/{app}/__init__.py says 'May import: {sorted(said or [])}', "
            f"docs/architecture.md says {sorted(allowed)}"
        )


# --- Python imports: import-linter --------------------------------------------------------

def contracts_ini(table: dict[str, set[str]]) -> str:
    """An import-linter configuration: one forbidden contract per app that may not import
    everything. Indirect imports are allowed: each row names what the app itself imports."""
    lines = ["[importlinter]", "root_package = beredt", ""]
    for app, allowed in sorted(table.items()):
        forbidden = sorted(set(table) - allowed - {app})
        if not forbidden:
            continue
        lines += [
            f"[importlinter:contract:{app}]",
            f"name = beredt.{app} imports only {', '.join(sorted(allowed)) or 'nothing of ours'}",
            "type = forbidden",
            "source_modules =",
            f"    beredt.{app}",
            "forbidden_modules =",
            *(f"    beredt.{name}" for name in forbidden),
            "allow_indirect_imports = True",
            "",
        ]
    return "\n".join(lines)


def lint(table: dict[str, set[str]], tmp_path, capsys) -> tuple[bool, str]:
    config = tmp_path / "importlinter.ini"
    config.write_text(contracts_ini(table), encoding="utf-8")
    capsys.readouterr()
    kept = lint_imports(config_filename=str(config), cache_dir=None, no_logo=True)
    return kept, capsys.readouterr().out


def test_no_app_imports_an_app_outside_its_row(table, tmp_path, capsys):
    kept, output = lint(table, tmp_path, capsys)
    assert kept, output


def test_a_forbidden_import_breaks_the_contract(table, tmp_path, capsys):
    """The check can fail: registry really imports incidents, so forbidding it is broken."""
    narrowed = {**table, "registry": table["registry"] - {"incidents"}}
    kept, output = lint(narrowed, tmp_path, capsys)
    assert not kept
    assert "beredt.registry" in output and "beredt.incidents" in output


# --- String model references: an ast walk -------------------------------------------------

@dataclass(frozen=True)
class ModelReference:
    path: Path
    line: int
    label: str
    text: str


def string_model_references(source: str, path: Path, labels: set[str]) -> Iterator[ModelReference]:
    """``"label.Model"`` constants naming a real model of another app, and
    ``get_model("label", "Model")`` calls."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "get_model":
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if len(args) == 2 and args[0] in labels:
                yield ModelReference(path, node.lineno, args[0], ".".join(args))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = re.fullmatch(r"([a-z_]+)\.(\w+)", node.value)
            if match and match[1] in labels and is_model(match[1], match[2]):
                yield ModelReference(path, node.lineno, match[1], node.value)


def is_model(label: str, name: str) -> bool:
    try:
        django_apps.get_model(label, name)
    except LookupError:
        return False
    return True


def test_string_model_references_keep_the_table(table):
    labels = set(table)
    broken = []
    for app, allowed in table.items():
        for path in sorted((PACKAGE / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue  # frozen history; the models they mirror are checked
            refs = string_model_references(path.read_text(encoding="utf-8"), path, labels)
            broken += [f"{ref.path.relative_to(ROOT)}:{ref.line} {ref.text!r}"
                       for ref in refs if ref.label != app and ref.label not in allowed]
    assert not broken, "string model references outside the app's row:\n" + "\n".join(broken)


def test_the_string_check_finds_foreign_keys_and_get_model():
    source = (
        'class Note(models.Model):\n'
        '    handover = models.ForeignKey("followup.Handover", on_delete=models.CASCADE)\n'
        'Incident = apps.get_model("incidents", "Incident")\n'
        'NOT_A_MODEL = "followup.nothing"\n'
    )
    refs = list(string_model_references(source, Path("x.py"), {"followup", "incidents"}))
    assert sorted((r.line, r.text) for r in refs) == [(2, "followup.Handover"),
                                                      (3, "incidents.Incident")]
