from __future__ import annotations

from django.contrib import admin

from resuelve.intake.models import PublishedPage


@admin.register(PublishedPage)
class PublishedPageAdmin(admin.ModelAdmin):
    list_display = ("slug", "language", "title", "updated_at")
    list_filter = ("slug", "language")
