from django.contrib import admin

from resuelve.watchers.models import CaseGrant, Mention, Watch, WatchDelivery


@admin.register(Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ("__str__", "mode", "on_new", "on_resolved", "active", "created_at")
    list_filter = ("mode", "active")
    raw_id_fields = ("user", "created_by")


@admin.register(WatchDelivery)
class WatchDeliveryAdmin(admin.ModelAdmin):
    list_display = ("watch", "complaint", "event", "at", "sent_at")
    list_filter = ("event",)
    raw_id_fields = ("watch", "complaint")


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ("complaint", "user", "by", "at", "granted")
    raw_id_fields = ("complaint", "message", "user", "by")


@admin.register(CaseGrant)
class CaseGrantAdmin(admin.ModelAdmin):
    list_display = ("complaint", "user", "reason", "granted_by", "at")
    raw_id_fields = ("complaint", "user", "granted_by")
