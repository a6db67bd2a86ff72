"""Fewer index entries per registration (the hot path writes ~80): the registration's
incident index (covered by (incident, status, registered_at)), the match key's registration
index (covered by the unique (registration, key)), and PostgreSQL's LIKE indexes on hashes
and form numbers, which only ever see exact look-ups. The tables are not rebuilt."""

import django.db.models.deletion
from django.db import migrations, models

from beredt.core.migration_ops import drop_indexes_of


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
        ("incidents", "0003_incident_log"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="registration", name="incident",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT,
                        related_name="registrations", to="incidents.incident",
                        verbose_name="incident")),
                migrations.AlterField(
                    model_name="registration", name="cpr_hash",
                    field=models.CharField(blank=True, editable=False, max_length=64)),
                migrations.AlterField(
                    model_name="registration", name="paper_form_number",
                    field=models.CharField(blank=True, max_length=40,
                                           verbose_name="paper form number")),
                migrations.AlterField(
                    model_name="matchkey", name="registration",
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.CASCADE,
                        related_name="match_keys", to="registry.registration")),
                migrations.AlterField(
                    model_name="matchkey", name="key", field=models.CharField(max_length=64)),
            ],
            database_operations=[drop_indexes_of(
                ("registry_registration", "incident_id"),
                ("registry_registration", "cpr_hash"),
                ("registry_registration", "paper_form_number"),
                ("registry_matchkey", "registration_id"),
                ("registry_matchkey", "key"),
            )],
        ),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["cpr_hash"], name="registry_reg_cpr_hash")),
        migrations.AddIndex(
            model_name="registration",
            index=models.Index(fields=["paper_form_number"], name="registry_reg_form_number")),
        migrations.AddIndex(
            model_name="matchkey",
            index=models.Index(fields=["key"], name="registry_matchkey_key")),
    ]
