"""The shared spreadsheet helper: what no export may write as a formula, what the CSV
reader refuses with a code."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from beredt.core import tabular
from beredt.core.errors import ValidationFailed

TRIGGERS = st.sampled_from(["=", "+", "-", "@", "\t", "\r"])
PADDING = st.text(alphabet=" \"'", max_size=4)


@given(PADDING, TRIGGERS, st.text(max_size=30))
def test_formula_starts_are_neutralised(padding, trigger, rest):
    value = padding + trigger + rest
    assert tabular.spreadsheet_safe(value) == "'" + value


@given(st.text(max_size=30).filter(
    lambda v: not v.lstrip(" \"'").startswith(tabular.FORMULA_TRIGGERS)
    and not v.startswith(tabular.FORMULA_TRIGGERS)))
def test_other_text_is_unchanged(value):
    assert tabular.spreadsheet_safe(value) == value


def test_numbers_and_empty_values_are_unchanged():
    assert [tabular.spreadsheet_safe(v) for v in (-5, 3.5, None, "")] == [-5, 3.5, None, ""]


def test_csv_text_neutralises_every_cell():
    body = tabular.csv_text([{"a": "=1+1", "b": "ok"}], fieldnames=["a", "b"])
    assert body.splitlines() == ["a,b", "'=1+1,ok"]


@pytest.mark.parametrize(("text", "code"), [
    ("a,b\n" + "x" * 200_000 + ",1\n", "cell_too_long"),
    ('a,b\n"unclosed,1\n' + "y" * 200_000, "cell_too_long"),
])
def test_reader_refuses_with_a_code(text, code):
    with pytest.raises(ValidationFailed) as caught:
        tabular.read_csv(text)
    assert caught.value.code == code


def test_reader_takes_mac_line_ends_and_quoted_line_breaks():
    rows = tabular.read_csv('a;b\r"x\ry";2\r')
    assert rows == [["a", "b"], ["x\ny", "2"]]
