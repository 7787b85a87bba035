from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from resuelve.accounts.models import Department, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "language", "is_active")
    list_filter = ("role", "departments", "is_active")
    filter_horizontal = ("departments", "groups", "user_permissions")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Resuelve"), {"fields": ("role", "departments", "language")}),
    )


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "head", "email", "active")
    search_fields = ("name", "code")
    prepopulated_fields = {"code": ("name",)}
