import base64

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from beredt.core import crypto
from beredt.core.cpr import lookup_hash
from tests.testapp.models import Person

KEY_A = "a:" + base64.b64encode(b"A" * 32).decode()
KEY_B = "b:" + base64.b64encode(b"B" * 32).decode()


def raw_column(pk, column="cpr"):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM testapp_person WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@given(st.text(max_size=200))
def test_roundtrip(text):
    token = crypto.encrypt(text, context="x.y.z")
    assert crypto.decrypt(token, context="x.y.z") == text


def test_same_value_encrypts_differently():
    assert crypto.encrypt("0101901234", context="c") != crypto.encrypt("0101901234", context="c")


def test_ciphertext_is_bound_to_its_column():
    token = crypto.encrypt("secret", context="registry.registration.cpr")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="registry.registration.note")


def test_tampered_ciphertext_fails():
    token = crypto.encrypt("secret", context="c")
    prefix, key_id, payload = token.split(":", 2)
    raw = bytearray(base64.b64decode(payload))
    raw[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(f"{prefix}:{key_id}:{base64.b64encode(bytes(raw)).decode()}", context="c")


@pytest.mark.parametrize(
    "spec", ["", "nokey", "a:notbase64!!", "a:" + base64.b64encode(b"short").decode()]
)
def test_bad_key_configuration_is_refused(spec):
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keyring(spec)


def test_keyed_hash_is_deterministic_and_keyed(settings):
    first = crypto.keyed_hash("0101901234", purpose="cpr")
    assert first == crypto.keyed_hash("0101901234", purpose="cpr")
    assert first != crypto.keyed_hash("0101901234", purpose="phone")
    settings.HASH_KEY = "another key"
    assert crypto.keyed_hash("0101901234", purpose="cpr") != first


@pytest.mark.django_db
def test_field_is_encrypted_at_rest():
    person = Person.objects.create(name="Jens Hansen", cpr="0101901234")
    stored = raw_column(person.pk)
    assert stored.startswith("v1:")
    assert "0101901234" not in stored
    assert Person.objects.get(pk=person.pk).cpr == "0101901234"


@pytest.mark.django_db
def test_encrypted_field_refuses_searching():
    with pytest.raises(NotImplementedError):
        list(Person.objects.filter(cpr__icontains="0101"))


@pytest.mark.django_db
def test_key_rotation(settings):
    settings.FIELD_KEYS = KEY_A
    person = Person.objects.create(name="Jens", cpr="0101901234")
    assert raw_column(person.pk).startswith("v1:a:")
    settings.FIELD_KEYS = f"{KEY_B},{KEY_A}"  # new key first, old key still decrypts
    assert Person.objects.get(pk=person.pk).cpr == "0101901234"
    call_command("rotatekeys", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert raw_column(person.pk).startswith("v1:b:")
    assert raw_column(person.pk, "name").startswith("v1:b:")
    settings.FIELD_KEYS = KEY_B  # old key removed
    assert Person.objects.get(pk=person.pk).cpr == "0101901234"


@pytest.mark.django_db
def test_rehash_after_hash_key_change(settings):
    person = Person.objects.create(cpr="0101901234", cpr_hash=lookup_hash("0101901234"))
    settings.HASH_KEY = "a brand new hash key"
    assert Person.objects.get(pk=person.pk).cpr_hash != lookup_hash("0101901234")
    call_command("rotatekeys", "--rehash", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Person.objects.get(pk=person.pk).cpr_hash == lookup_hash("0101901234")


def test_generatekey_output_is_a_valid_key(capsys):
    call_command("generatekey", "k2026")
    line = capsys.readouterr().out.strip()
    assert crypto.parse_keyring(line).current_id == "k2026"
