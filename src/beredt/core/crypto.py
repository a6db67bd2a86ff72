"""Encryption of personal data at rest and a keyed hash for exact look-up.

Values are encrypted with AES-256-GCM (``cryptography``). Keys come from the setting
``FIELD_KEYS`` (environment ``BEREDT_FIELD_KEY``): a comma-separated list of
``keyid:base64key`` entries; the first key encrypts, every listed key decrypts. A token
looks like ``v1:<keyid>:<base64(nonce || ciphertext+tag)>``, so rotation is: put the new
key first, keep the old one after it, run ``beredt rotatekeys``, then drop the old key.

Each value is bound to where it is stored (``associated_data``, e.g.
``registry.registration.cpr``), so a ciphertext copied into another column fails to decrypt.

The keyed hash (HMAC-SHA256 with ``HASH_KEY``) makes equality look-ups possible ("is this
CPR number already registered?") without storing the value in clear.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

TOKEN_PREFIX = "v1"  # noqa: S105 - format version, not a secret


class DecryptionError(Exception):
    """A stored value could not be decrypted with any configured key."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict[str, AESGCM]

    def encrypt(self, plaintext: str, *, context: str) -> str:
        nonce = os.urandom(12)
        sealed = self.keys[self.current_id].encrypt(nonce, plaintext.encode(), context.encode())
        return f"{TOKEN_PREFIX}:{self.current_id}:{base64.b64encode(nonce + sealed).decode()}"

    def decrypt(self, token: str, *, context: str) -> str:
        try:
            prefix, key_id, payload = token.split(":", 2)
            raw = base64.b64decode(payload, validate=True)
        except (ValueError, binascii.Error) as exc:
            raise DecryptionError("malformed encrypted value") from exc
        if prefix != TOKEN_PREFIX or key_id not in self.keys:
            raise DecryptionError(f"no key {key_id!r} configured for this value")
        try:
            return self.keys[key_id].decrypt(raw[:12], raw[12:], context.encode()).decode()
        except InvalidTag as exc:
            raise DecryptionError("value does not match its key or context") from exc

    @staticmethod
    def key_id_of(token: str) -> str | None:
        parts = token.split(":", 2)
        return parts[1] if len(parts) == 3 and parts[0] == TOKEN_PREFIX else None


def parse_keyring(spec: str) -> Keyring:
    keys: dict[str, AESGCM] = {}
    order: list[str] = []
    for entry in (item.strip() for item in spec.split(",")):
        if not entry:
            continue
        key_id, sep, b64 = entry.partition(":")
        if not sep or not key_id:
            raise ImproperlyConfigured("BEREDT_FIELD_KEY entries are 'keyid:base64key'.")
        try:
            raw = base64.b64decode(b64, validate=True)
        except binascii.Error as exc:
            raise ImproperlyConfigured(f"BEREDT_FIELD_KEY {key_id!r} is not base64.") from exc
        if len(raw) != 32:
            raise ImproperlyConfigured(f"BEREDT_FIELD_KEY {key_id!r} must be 32 bytes.")
        keys[key_id] = AESGCM(raw)
        order.append(key_id)
    if not order:
        raise ImproperlyConfigured("BEREDT_FIELD_KEY is empty.")
    return Keyring(current_id=order[0], keys=keys)


@lru_cache(maxsize=4)
def _keyring_for(spec: str) -> Keyring:
    return parse_keyring(spec)


def keyring() -> Keyring:
    return _keyring_for(settings.FIELD_KEYS)


def encrypt(plaintext: str, *, context: str) -> str:
    return keyring().encrypt(plaintext, context=context)


def decrypt(token: str, *, context: str) -> str:
    return keyring().decrypt(token, context=context)


def keyed_hash(value: str, *, purpose: str) -> str:
    """Deterministic HMAC-SHA256 of ``value`` for look-ups; ``purpose`` separates uses."""
    message = f"{purpose}\x00{value}".encode()
    return hmac.new(settings.HASH_KEY.encode(), message, hashlib.sha256).hexdigest()


def generate_key(key_id: str) -> str:
    """A new ``keyid:base64key`` entry for BEREDT_FIELD_KEY (``beredt generatekey``)."""
    return f"{key_id}:{base64.b64encode(os.urandom(32)).decode()}"
