"""The incident log's free text is encrypted at rest (core.fields.EncryptedTextField); the
rows written before this migration are encrypted in place (and decrypted when reversed)."""

from django.db import migrations

import beredt.core.fields
from beredt.core import crypto

CONTEXT = "incidents.incidentlogentry.text"


def _is_token(value: str) -> bool:
    return crypto.Keyring.key_id_of(value) is not None


def encrypt_existing(apps, schema_editor):
    # The historical model still has a plain TextField here: values come and go unchanged.
    Entry = apps.get_model("incidents", "IncidentLogEntry")
    db = schema_editor.connection.alias
    for pk, text in Entry.objects.using(db).values_list("pk", "text").iterator():
        if text and not _is_token(text):
            Entry.objects.using(db).filter(pk=pk).update(
                text=crypto.encrypt(text, context=CONTEXT))


def decrypt_existing(apps, schema_editor):
    Entry = apps.get_model("incidents", "IncidentLogEntry")
    db = schema_editor.connection.alias
    for pk, text in Entry.objects.using(db).values_list("pk", "text").iterator():
        if text and _is_token(text):
            Entry.objects.using(db).filter(pk=pk).update(
                text=crypto.decrypt(text, context=CONTEXT))


class Migration(migrations.Migration):

    dependencies = [
        ("incidents", "0003_incident_log"),
    ]

    operations = [
        migrations.RunPython(encrypt_existing, decrypt_existing),
        migrations.AlterField(
            model_name="incidentlogentry",
            name="text",
            field=beredt.core.fields.EncryptedTextField(verbose_name="entry"),
        ),
    ]
