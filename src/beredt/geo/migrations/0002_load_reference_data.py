from django.db import migrations


def load(apps, schema_editor):
    from beredt.geo import reference

    reference.load(
        apps.get_model("geo", "Region"),
        apps.get_model("geo", "Municipality"),
        apps.get_model("geo", "Postcode"),
        apps.get_model("geo", "PostcodeMunicipality"),
    )


class Migration(migrations.Migration):
    dependencies = [("geo", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
