from django.contrib import admin

from resuelve.deadlines.models import DeadlinePolicy


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "country",
        "subdivision",
        "answer_amount",
        "answer_unit",
        "unconfirmed",
        "active",
    )
    list_filter = ("active", "country", "unconfirmed")
    search_fields = ("name", "code", "legal_source")
