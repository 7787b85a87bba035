from django.contrib import admin

from resuelve.followup.models import FollowUpTask, Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("complaint", "channel", "language", "sent_at", "answered_at", "csat", "nps")
    list_filter = ("channel", "language")
    search_fields = ("complaint__tracking_code",)
    raw_id_fields = ("complaint", "customer")
    # Answers come from the customer only: the admin reads them.
    readonly_fields = ("csat", "effort", "nps", "compared", "solved", "comment", "answered_at")


@admin.register(FollowUpTask)
class FollowUpTaskAdmin(admin.ModelAdmin):
    list_display = ("complaint", "reason", "department", "assignee", "created_at", "done_at")
    list_filter = ("reason", "department")
    search_fields = ("complaint__tracking_code",)
    raw_id_fields = ("complaint", "survey", "assignee", "done_by")
