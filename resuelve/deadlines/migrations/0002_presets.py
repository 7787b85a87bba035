from django.db import migrations


def load(apps, schema_editor):
    from resuelve.deadlines.presets import load_presets

    load_presets(apps.get_model("deadlines", "DeadlinePolicy"))


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
