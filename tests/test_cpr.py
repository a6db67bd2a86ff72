import datetime as dt
import logging

import pytest

from beredt.core import cpr
from beredt.core.errors import ValidationFailed
from beredt.core.logging import redact


def test_parse_valid_with_and_without_hyphen():
    assert cpr.parse("010190-1234").compact == "0101901234"
    assert cpr.parse(" 0101901234 ").compact == "0101901234"


def test_birth_date_and_sex():
    number = cpr.parse("010190-1234")
    assert number.birth_date == dt.date(1990, 1, 1)
    assert number.sex == "F"
    assert cpr.parse("010190-1235").sex == "M"


def test_century_from_seventh_digit():
    assert cpr.parse("010105-4001").birth_date.year == 2005


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("01019012", "10 digits"),
        ("320190-1234", "birth date"),
        ("310290-1234", "birth date"),
        ("01O190-1234", "digits"),
        ("", "10 digits"),
    ],
)
def test_invalid_numbers_name_the_field(value, fragment, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationFailed) as info:
        cpr.parse(value, field="person.cpr")
    assert info.value.field == "person.cpr"
    assert info.value.code == "invalid_cpr"
    assert fragment in str(info.value.message)


def test_future_birth_date_is_refused():
    future = dt.date.today() + dt.timedelta(days=400)
    with pytest.raises(ValidationFailed):
        cpr.parse(future.strftime("%d%m%y") + "-4000")


def test_mask():
    assert cpr.mask("0101901234") == "010190-****"
    assert cpr.mask("010190-1234") == "010190-****"
    assert cpr.parse("0101901234").masked == "010190-****"
    assert cpr.mask("") == ""


def test_log_redaction(caplog):
    assert redact("cpr 010190-1234 and 0101901234") == "cpr 010190-**** and 010190-****"
    logger = logging.getLogger("beredt.test")
    from beredt.core.logging import RedactCprFilter

    handler_filter = RedactCprFilter()
    record = logger.makeRecord("x", logging.INFO, __file__, 1, "got %s", ("0101901234",), None)
    handler_filter.filter(record)
    assert record.getMessage() == "got 010190-****"


def test_tracebacks_in_the_log_carry_no_cpr(settings):
    """A server error whose exception text (or a quoted source line) holds a CPR number:
    the configured log handler writes the traceback with the number masked."""
    import io
    import logging.config

    stream = io.StringIO()
    config = {**settings.LOGGING, "handlers": {"console": {
        **settings.LOGGING["handlers"]["console"], "stream": stream}}}
    logging.config.dictConfig(config)
    try:
        try:
            int("0101901234x")  # ValueError: invalid literal … '0101901234x'
        except ValueError:
            logging.getLogger("django.request").exception("Internal Server Error: %s",
                                                          "/registry/?q=010190-1234")
        try:
            raise RuntimeError("lookup failed for 3112899995")
        except RuntimeError:
            logging.getLogger("beredt.test").error("boom", exc_info=True, stack_info=True)
    finally:
        logging.config.dictConfig(settings.LOGGING)
    written = stream.getvalue()
    assert "Traceback" in written and "ValueError" in written and "RuntimeError" in written
    assert "0101901234" not in written and "1234" not in written.split("q=")[1][:12]
    assert "3112899995" not in written and "311289-****" in written
