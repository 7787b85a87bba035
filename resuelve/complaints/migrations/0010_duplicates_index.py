# Likely duplicates of a case without a customer record are looked up by its phone number
# (resuelve.complaints.duplicates); the e-mail, customer and order lookups have their indexes.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0009_complaint_suggestion"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="complaint",
            index=models.Index(fields=["contact_phone"], name="cmp_phone_idx"),
        ),
    ]
