"""Re-encrypt personal data with the current field key, and optionally recompute keyed hashes.

Rotation (docs/operations.md): generate a key (``beredt generatekey``), put it first in
BEREDT_FIELD_KEY with the old key after it, restart, run ``beredt rotatekeys``; when it
reports 0 values left on old keys, remove the old key. For a new BEREDT_HASH_KEY, run
``beredt rotatekeys --rehash`` right after changing it (models list their keyed-hash columns
in ``KEYED_HASHES = {"hash_field": ("source_field", "purpose")}``).
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from beredt.core import crypto
from beredt.core.fields import encrypted_fields

BATCH = 500


class Command(BaseCommand):
    help = "Re-encrypt encrypted fields with the current key (and --rehash keyed hashes)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rehash",
            action="store_true",
            help="Recompute keyed-hash columns with the current BEREDT_HASH_KEY.",
        )

    def handle(self, *args, rehash: bool, **options):
        ring = crypto.keyring()
        total = 0
        for model in apps.get_models():
            fields = encrypted_fields(model)
            hashes = getattr(model, "KEYED_HASHES", {}) if rehash else {}
            if not fields:
                continue
            changed = self._rotate_model(model, fields, hashes, ring)
            total += changed
            if changed:
                self.stdout.write(f"{model._meta.label}: {changed} rows re-encrypted")
        self.stdout.write(f"Done: {total} rows updated; current key is {ring.current_id!r}.")

    def _rotate_model(self, model, fields, hashes, ring) -> int:
        table = connection.ops.quote_name(model._meta.db_table)
        pk = connection.ops.quote_name(model._meta.pk.column)
        cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        changed = 0
        last = None
        while True:
            with connection.cursor() as cursor:
                where = f"WHERE {pk} > %s " if last is not None else ""
                cursor.execute(
                    f"SELECT {pk}, {cols} FROM {table} {where}ORDER BY {pk} LIMIT {BATCH}",  # noqa: S608
                    [last] if last is not None else [],
                )
                rows = cursor.fetchall()
            if not rows:
                return changed
            with transaction.atomic():
                for row in rows:
                    last = row[0]
                    stale = [
                        f
                        for f, raw in zip(fields, row[1:], strict=True)
                        if raw and ring.key_id_of(raw) != ring.current_id
                    ]
                    if not stale and not hashes:
                        continue
                    obj = model._base_manager.get(pk=row[0])
                    update = {f.name: getattr(obj, f.name) for f in stale}
                    for hash_field, (source, purpose) in hashes.items():
                        value = getattr(obj, source)
                        update[hash_field] = (
                            crypto.keyed_hash(value, purpose=purpose) if value else ""
                        )
                    model._base_manager.filter(pk=row[0]).update(**update)
                    changed += 1
