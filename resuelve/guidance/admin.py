from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from resuelve.guidance.models import (
    CaseGuidance,
    Playbook,
    PlaybookStep,
    ReplyTemplate,
    ReplyTemplateText,
)


class PlaybookStepInline(admin.TabularInline):
    model = PlaybookStep
    extra = 1
    fields = ["order", "text", "translations"]


@admin.register(Playbook)
class PlaybookAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "kind", "active", "usual_amount", "step_count"]
    list_filter = ["active", "category", "kind"]
    search_fields = ["name", "usual_remedy"]
    filter_horizontal = ["templates"]
    exclude = ["created_at"]
    inlines = [PlaybookStepInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Playbook]:
        return super().get_queryset(request).prefetch_related("steps")

    @admin.display(description=_("steps"))
    def step_count(self, obj: Playbook) -> int:
        return len(obj.steps.all())

    def save_model(self, request: HttpRequest, obj: Playbook, form: object, change: bool) -> None:
        if obj.created_at is None:
            obj.created_at = timezone.now()
        super().save_model(request, obj, form, change)  # type: ignore[arg-type]


class ReplyTemplateTextInline(admin.StackedInline):
    model = ReplyTemplateText
    extra = 0
    max_num = len(settings.LANGUAGES)
    fields = ["language", "subject", "body"]


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "category", "action", "active", "languages_missing"]
    list_filter = ["active", "action", "kind", "category"]
    search_fields = ["name", "code", "texts__body"]
    prepopulated_fields = {"code": ["name"]}
    inlines = [ReplyTemplateTextInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[ReplyTemplate]:
        return super().get_queryset(request).prefetch_related("texts")

    @admin.display(description=_("missing languages"))
    def languages_missing(self, obj: ReplyTemplate) -> str:
        names = dict(settings.LANGUAGES)
        missing = obj.missing_languages()
        return ", ".join(str(names[code]) for code in missing) if missing else "—"


@admin.register(CaseGuidance)
class CaseGuidanceAdmin(admin.ModelAdmin):
    """Read-only: cases leave their routine from the case page, with the audit trail."""

    list_display = ["complaint", "playbook", "routine", "marked_by", "marked_at"]
    list_filter = ["routine", "playbook"]
    readonly_fields = [f.name for f in CaseGuidance._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
