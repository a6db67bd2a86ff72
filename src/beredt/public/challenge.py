"""A proof-of-work challenge for the public self-registration, instead of a CAPTCHA.

Every form carries a signed, single-use challenge; a small script
(``static/beredt/pow.js``) finds a counter whose SHA-256 with the challenge starts with
``bits`` zero bits while the person fills in the form (about 65,000 hashes at 16 bits:
well under a second on a phone), and puts it in the hidden ``pow_solution`` field. Nobody
sees a puzzle. The server asks for a valid solution only **under load** — when more than
``PUBLIC_SELFREG_CHALLENGE_AFTER`` self-registrations reached the incident in the
current rate-limit window (0: always) — so a person whose browser runs no script can
still register on an ordinary day. A solution is valid for ``MAX_AGE`` seconds and once
(an atomic ``cache.add`` on the challenge's nonce, which holds on every cache backend).

The API takes the same two values as ``pow_challenge`` / ``pow_solution`` and hands out
challenges at ``GET /api/v1/public/challenge``.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache

SALT = "beredt.public.pow"
MAX_AGE = 3600


def bits() -> int:
    return int(getattr(settings, "PUBLIC_POW_BITS", 16))


def issue() -> str:
    """A new challenge (signed nonce and difficulty)."""
    return signing.dumps({"n": secrets.token_hex(12), "b": bits()}, salt=SALT, compress=False)


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte:
            return count + 8 - byte.bit_length()
        count += 8
    return count


def _work(challenge: str, solution: str) -> int:
    return leading_zero_bits(hashlib.sha256(f"{challenge}:{solution}".encode()).digest())


def _difficulty(challenge: str) -> int | None:
    try:
        return int(signing.loads(challenge, salt=SALT, max_age=MAX_AGE)["b"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def verify(challenge: str, solution: str) -> bool:
    """True when ``solution`` solves ``challenge``, which we issued, is fresh, asks for at
    least today's difficulty and was not used before (it is used up now)."""
    if not challenge or not solution or len(solution) > 20:
        return False
    difficulty = _difficulty(challenge)
    if difficulty is None or difficulty < bits() or _work(challenge, solution) < difficulty:
        return False
    nonce = signing.loads(challenge, salt=SALT, max_age=MAX_AGE)["n"]
    return cache.add(f"public:pow:used:{nonce}", 1, timeout=MAX_AGE)


def solve(challenge: str) -> str:
    """What the browser script does (for tests and the load benchmark)."""
    difficulty = _difficulty(challenge) or 0
    counter = 0
    while _work(challenge, str(counter)) < difficulty:
        counter += 1
    return str(counter)
