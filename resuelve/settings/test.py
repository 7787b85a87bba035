"""Test settings: the same as development, with fast password hashing."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Live-server threads in the browser tests must not keep connections open past a test: a
# kept PostgreSQL connection stops pytest-django from dropping the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405
