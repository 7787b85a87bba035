"""Routing rules, agent profiles and absences, edited by the administrator. Lists of kinds,
channels, tiers and languages are chosen with checkboxes, not typed as JSON."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from resuelve.complaints.lifecycle import Kind
from resuelve.complaints.models import Channel
from resuelve.customers.models import Tier
from resuelve.routing.models import Absence, AgentProfile, RoutingRule
from resuelve.routing.selectors import forget_routing


def _choices_field(label: str, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: any."),
    )


class RoutingRuleForm(forms.ModelForm):
    kinds = _choices_field(_("kinds"), Kind.choices)
    channels = _choices_field(_("channels"), Channel.choices)
    customer_tiers = _choices_field(_("customer tiers"), Tier.choices)
    languages = _choices_field(_("languages"), settings.LANGUAGES)

    class Meta:
        model = RoutingRule
        fields = [
            "name",
            "position",
            "active",
            "stop",
            "kinds",
            "categories",
            "channels",
            "products",
            "suppliers",
            "customer_tiers",
            "languages",
            "text_contains",
            "department",
            "assignee",
            "severity",
            "confidential",
            "deadline_policy",
        ]


class AgentProfileForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every language."),
    )

    class Meta:
        model = AgentProfile
        fields = ["user", "takes_assignments", "capacity", "skills", "languages"]


class _ForgetsRouting(admin.ModelAdmin):
    """Routing keeps rules and people per process for a few seconds; this process forgets
    them at once so the administrator sees the change on the next filing."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        forget_routing()

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        forget_routing()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        forget_routing()


@admin.register(RoutingRule)
class RoutingRuleAdmin(_ForgetsRouting):
    form = RoutingRuleForm
    list_display = ("position", "name", "department", "assignee", "severity", "stop", "active")
    list_display_links = ("name",)
    list_editable = ("position", "active")
    list_filter = ("active", "department")
    search_fields = ("name", "text_contains")
    filter_horizontal = ("categories", "products", "suppliers")
    fieldsets = (
        (None, {"fields": ("name", "position", "active", "stop")}),
        (
            _("When"),
            {
                "fields": (
                    "kinds",
                    "categories",
                    "channels",
                    "products",
                    "suppliers",
                    "customer_tiers",
                    "languages",
                    "text_contains",
                )
            },
        ),
        (
            _("Then"),
            {"fields": ("department", "assignee", "severity", "confidential", "deadline_policy")},
        ),
    )


@admin.register(AgentProfile)
class AgentProfileAdmin(_ForgetsRouting):
    form = AgentProfileForm
    list_display = ("user", "takes_assignments", "capacity")
    list_filter = ("takes_assignments",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
    filter_horizontal = ("skills",)


@admin.register(Absence)
class AbsenceAdmin(_ForgetsRouting):
    list_display = ("user", "starts_on", "ends_on", "reason")
    list_filter = ("starts_on",)
    search_fields = ("user__username", "user__first_name", "user__last_name")
