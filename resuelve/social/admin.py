from django.contrib import admin

from resuelve.social.models import PublicReply, SocialSource, SocialThread


@admin.register(SocialSource)
class SocialSourceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "platform", "first_answer_hours", "deadline_policy", "active"]
    list_filter = ["active"]
    readonly_fields = ["created_at"]


@admin.register(SocialThread)
class SocialThreadAdmin(admin.ModelAdmin):
    list_display = ["complaint", "source", "author_handle", "public", "first_answer_due_at"]
    list_filter = ["public", "source"]
    raw_id_fields = ["complaint"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # changed through the case page, where each change is on the audit chain


@admin.register(PublicReply)
class PublicReplyAdmin(admin.ModelAdmin):
    list_display = ["thread", "status", "drafted_by", "drafted_at", "decided_by"]
    list_filter = ["status"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False
