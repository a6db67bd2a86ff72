"""Log filter that masks anything shaped like a CPR number before it is written."""

import logging
import re

CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def redact(text: str) -> str:
    return CPR_PATTERN.sub(r"\1-****", text)


class RedactCprFilter(logging.Filter):
    """Masks CPR-shaped numbers in the message, in the traceback of a logged exception
    (where a CPR turns up in an exception's text, e.g. ``invalid literal … '0101901234'``,
    or in a quoted source line) and in the stack info. The traceback is formatted here,
    redacted, and kept as ``exc_text``; ``exc_info`` is dropped so no later handler
    formats the raw one again."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        if record.exc_info:
            record.exc_text = record.exc_text or self._formatter.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
