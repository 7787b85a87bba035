"""A theme's words per language become a list of [language, words] pairs: PostgreSQL's jsonb
does not keep the order of an object's keys, and the language with most cases comes first."""

from django.db import migrations, models


def to_pairs(apps, schema_editor):
    Theme = apps.get_model("themes", "Theme")
    for theme in Theme.objects.all().only("pk", "terms_by_language", "languages"):
        value = theme.terms_by_language
        if isinstance(value, dict):
            counts = theme.languages or {}
            ordered = sorted(value.items(), key=lambda item: (-counts.get(item[0], 0), item[0]))
            theme.terms_by_language = [[lang, words] for lang, words in ordered]
            theme.save(update_fields=["terms_by_language"])


class Migration(migrations.Migration):
    dependencies = [("themes", "0002_theme_terms_by_language")]

    operations = [
        migrations.AlterField(
            model_name="theme",
            name="terms_by_language",
            field=models.JSONField(default=list),
        ),
        migrations.RunPython(to_pairs, migrations.RunPython.noop),
    ]
