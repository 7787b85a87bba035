from django.contrib import admin
from django.http import HttpRequest

from resuelve.deadlines.models import DeadlineAlert, DeadlinePolicy, PeriodicRun, WorkerBeat


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


@admin.register(DeadlineAlert)
class DeadlineAlertAdmin(admin.ModelAdmin):
    list_display = ("complaint", "kind", "level", "at", "due_at")
    list_filter = ("kind", "level")
    search_fields = ("complaint__tracking_code",)
    raw_id_fields = ("complaint",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PeriodicRun)
class PeriodicRunAdmin(admin.ModelAdmin):
    list_display = ("name", "next_run_at", "last_run_at", "last_worker")
    readonly_fields = ("name", "last_run_at", "last_worker")


@admin.register(WorkerBeat)
class WorkerBeatAdmin(admin.ModelAdmin):
    list_display = ("worker_id", "host", "pid", "started_at", "seen_at")
    readonly_fields = ("worker_id", "host", "pid", "started_at", "seen_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
