"""The directory's version stamp, changed by the database on every write to the directory;
indexes for "who answers now" (each line's first phone number; its rules, covering, which
replaces the plain index on ``schedule.service``).

``directory_directoryversion`` holds one row (id 1). Triggers on the directory's tables
give it a new random ``stamp`` on every INSERT, UPDATE and DELETE, so no write path can
forget it: the admin, the CSV and HSDS imports, the API, closures, ``bulk_create``,
``QuerySet.update`` and raw SQL alike. ``selectors.open_now`` keeps compiled opening rules
per process and reloads them when the stamp differs.

PostgreSQL: statement-level BEFORE triggers, so a bulk statement costs one update and the
stamp row is locked before any directory row (directory writers queue on it rather than
deadlock). SQLite: row-level triggers (SQLite has no others; its writers queue anyway).

SQLite drops a table's triggers when a migration rebuilds the table (most ALTERs do):
a later migration that alters one of these tables must run :func:`install` again.
"""

import secrets

import django.db.models.deletion
from django.db import migrations, models

TABLES = ("directory_provider", "directory_service", "directory_location",
          "directory_serviceatlocation", "directory_phone", "directory_contact",
          "directory_schedule", "directory_closure")
VERSION = "directory_directoryversion"

PG_FUNCTION = f"""
CREATE OR REPLACE FUNCTION directory_bump_version() RETURNS trigger AS $$
BEGIN
  INSERT INTO {VERSION} (id, stamp) VALUES (1, floor(random() * 9.2e18)::bigint)
    ON CONFLICT (id) DO UPDATE SET stamp = EXCLUDED.stamp;
  RETURN NULL;
END $$ LANGUAGE plpgsql;
"""
SQLITE_BUMP = f"INSERT OR REPLACE INTO {VERSION} (id, stamp) VALUES (1, random());"
EVENTS = ("INSERT", "UPDATE", "DELETE")


def install(schema_editor) -> None:
    """(Re-)create the triggers on every directory table."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FUNCTION)
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table};")
            schema_editor.execute(
                f"CREATE TRIGGER {table}_version BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION directory_bump_version();")
        elif vendor == "sqlite":
            for event in EVENTS:
                name = f"{table}_version_{event.lower()}"
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name};")
                schema_editor.execute(
                    f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {SQLITE_BUMP} END;")


def up(apps, schema_editor):
    install(schema_editor)
    apps.get_model("directory", "DirectoryVersion").objects.using(
        schema_editor.connection.alias).create(id=1, stamp=secrets.randbits(62))


def down(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_version ON {table};")
        elif vendor == "sqlite":
            for event in EVENTS:
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_version_{event.lower()};")
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS directory_bump_version();")


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [
        migrations.CreateModel(
            name="DirectoryVersion",
            fields=[
                ("id", models.PositiveSmallIntegerField(default=1, primary_key=True,
                                                        serialize=False)),
                ("stamp", models.BigIntegerField(verbose_name="stamp")),
            ],
            options={"verbose_name": "directory version",
                     "verbose_name_plural": "directory versions"},
        ),
        # Before the triggers: on SQLite, altering a field rebuilds the table.
        migrations.AlterField(
            model_name="schedule",
            name="service",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="schedules", to="directory.service"),
        ),
        migrations.AddIndex(
            model_name="phone",
            index=models.Index(fields=["service", "rank", "number"],
                               name="directory_phone_order"),
        ),
        migrations.AddIndex(
            model_name="schedule",
            index=models.Index(
                fields=["service", "position", "opens_at", "closes_at", "byday", "freq",
                        "interval", "bymonthday", "valid_from", "valid_to", "dtstart", "until",
                        "holidays"],
                name="directory_schedule_rules"),
        ),
        migrations.RunPython(up, down),
    ]
