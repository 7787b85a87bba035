from django.db import migrations


def load(apps, schema_editor):
    from resuelve.deadlines.presets import load_presets

    load_presets(apps.get_model("deadlines", "DeadlinePolicy"))  # adds the social-public preset


class Migration(migrations.Migration):
    dependencies = [("social", "0001_initial"), ("deadlines", "0002_presets")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
