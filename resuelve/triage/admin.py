from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from resuelve.triage import selectors, services
from resuelve.triage.models import Correction, KeywordRule, SeverityRule, TrainedModel


class _ForgetOnSave(admin.ModelAdmin):
    """Rules take effect in this process at once (in others within RECHECK_SECONDS)."""

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        selectors.forget_knowledge()

    def delete_model(self, request, obj):  # type: ignore[no-untyped-def]
        super().delete_model(request, obj)
        selectors.forget_knowledge()


@admin.register(KeywordRule)
class KeywordRuleAdmin(_ForgetOnSave):
    list_display = ("category", "language", "weight", "active")
    list_filter = ("active", "language", "category")
    search_fields = ("keywords", "category__name")


@admin.register(SeverityRule)
class SeverityRuleAdmin(_ForgetOnSave):
    list_display = ("severity", "language", "weight", "active")
    list_filter = ("active", "severity", "language")
    search_fields = ("keywords",)


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(TrainedModel)
class TrainedModelAdmin(_ReadOnly):
    list_display = ("created_at", "active", "n_train", "n_test", "accuracy", "macro_f1", "seconds")
    list_filter = ("active",)
    exclude = ("blob",)
    actions = ["make_active"]

    @admin.action(description=_("Make the selected model the active one"))
    def make_active(self, request: HttpRequest, queryset: QuerySet[TrainedModel]) -> None:
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one model."), messages.ERROR)
            return
        model = services.trained_model_activate(model=queryset.get())
        self.message_user(request, _("Model %(id)d is now active.") % {"id": model.pk})


@admin.register(Correction)
class CorrectionAdmin(_ReadOnly):
    list_display = ("at", "complaint", "field", "suggested", "chosen", "actor")
    list_filter = ("field",)
    raw_id_fields = ("complaint",)
    list_select_related = ("complaint", "actor")

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
