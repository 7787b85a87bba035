# Customers' names without case or accents, for the staff lookup ("lucia" finds Lucía).

from django.db import migrations, models

from resuelve.core.text import fold


def fill_search_name(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    batch = []
    for pk, name in Customer.objects.values_list("pk", "name").iterator(chunk_size=5000):
        batch.append(Customer(pk=pk, search_name=fold(name)[:200]))
        if len(batch) >= 5000:
            Customer.objects.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        Customer.objects.bulk_update(batch, ["search_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0003_customer_email_lowercase"),
    ]

    operations = [
        migrations.AddField(
            model_name="customer",
            name="search_name",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fill_search_name, migrations.RunPython.noop, elidable=True),
    ]
