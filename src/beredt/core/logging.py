"""Log filter that masks anything shaped like a CPR number before it is written."""

import logging
import re

CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")


def redact(text: str) -> str:
    return CPR_PATTERN.sub(r"\1-****", text)


class RedactCprFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
