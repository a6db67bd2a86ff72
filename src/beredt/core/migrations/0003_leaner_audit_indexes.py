"""Fewer index entries per audit row: ``object_type`` alone is covered by the
(object_type, object_id, at) index, and PostgreSQL's LIKE indexes on ``object_type`` and
``object_id`` never served a query. Not a table rebuild: on SQLite that would drop the
append-only triggers of migration 0002."""

from django.db import migrations, models

from beredt.core.migration_ops import drop_indexes_of


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_append_only")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="auditevent", name="object_type",
                    field=models.CharField(max_length=100, verbose_name="object type")),
                migrations.AlterField(
                    model_name="auditevent", name="object_id",
                    field=models.CharField(blank=True, max_length=64, verbose_name="object id")),
            ],
            database_operations=[drop_indexes_of(
                ("core_auditevent", "object_type"),
                ("core_auditevent", "object_id"),
            )],
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(fields=["object_id"], name="core_audit_object_id")),
    ]
