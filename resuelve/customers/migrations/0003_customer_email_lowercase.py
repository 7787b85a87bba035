"""Customers' e-mail addresses are stored lower-case, so matching one is an indexed equality
(a case-insensitive comparison scanned the whole table on SQLite and PostgreSQL)."""

from django.db import migrations
from django.db.models.functions import Lower, Trim


def lowercase_emails(apps, schema_editor):
    Customer = apps.get_model("customers", "Customer")
    Customer.objects.exclude(email="").update(email=Lower(Trim("email")))


class Migration(migrations.Migration):
    dependencies = [
        ("customers", "0002_customer_phone_digits"),
    ]

    operations = [
        migrations.RunPython(lowercase_emails, migrations.RunPython.noop, elidable=True),
    ]
