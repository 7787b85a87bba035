from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from resuelve.accounts import roles
from resuelve.accounts.roles import Role


class Department(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("head"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="headed_departments",
    )
    email = models.EmailField(_("e-mail"), blank=True)
    duties = models.TextField(
        _("duties and limits"), blank=True, help_text=_("What this department answers for.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.AGENT)
    departments = models.ManyToManyField(
        Department, verbose_name=_("departments"), blank=True, related_name="members"
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Pages are shown in this language; empty means the browser's."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def sees_all_departments(self) -> bool:
        return self.role in roles.ALL_DEPARTMENTS or self.is_superuser

    @property
    def sees_confidential(self) -> bool:
        return self.role in roles.SEES_CONFIDENTIAL or self.is_superuser

    @property
    def read_only(self) -> bool:
        return self.role in roles.READ_ONLY

    @property
    def authority_limit(self) -> Decimal | None:
        return roles.AUTHORITY_LIMITS.get(self.role, Decimal("0"))

    def department_ids(self) -> list[int]:
        cached = getattr(self, "_department_ids", None)
        if cached is None:
            cached = list(self.departments.values_list("id", flat=True))
            self._department_ids = cached
        return cached


class ApiToken(models.Model):
    """A bearer token for the REST API. Only the SHA-256 of the secret is stored, with its
    first characters (the prefix) so people can tell their tokens apart; the token itself is
    shown once, when it is made (`resuelve create-token`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=16, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or self.user})"
