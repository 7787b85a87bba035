"""The task queue backend: django-tasks-db's, with the task row written by a prepared INSERT.

Intake writes one task row per acknowledgement e-mail inside the complaint's transaction
(so the e-mail is sent if and only if the complaint was committed); on SQLite that
transaction holds the write lock, and Django compiling the INSERT anew each time was a tenth
of it. Everything else (the worker, results, the admin) is django-tasks-db's own.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import router
from django.db.models import signals
from django.utils.module_loading import import_string
from django_tasks.base import Task
from django_tasks_db.backend import DatabaseBackend as _DatabaseBackend
from django_tasks_db.compat import normalize_json

from resuelve.core.prepared import insert_prepared

DATABASE_QUEUE = "resuelve.core.tasks.DatabaseBackend"


def uses_database_queue() -> bool:
    """Whether tasks go to the database queue (ours or django-tasks-db's own), so a task row
    can be written in the caller's transaction and `resuelve worker` runs them."""
    backend = import_string(settings.TASKS["default"]["BACKEND"])
    return isinstance(backend, type) and issubclass(backend, _DatabaseBackend)


class DatabaseBackend(_DatabaseBackend):
    def _task_to_db_task(self, task: Task[Any, Any], args: Any, kwargs: Any) -> Any:
        from django_tasks_db.models import DBTaskResult  # models load after the backend

        row = DBTaskResult(
            id=self._get_id(),
            args_kwargs=normalize_json({"args": args, "kwargs": kwargs}),
            priority=task.priority,
            task_path=task.module_path,
            queue_name=task.queue_name,
            run_after=task.run_after,
            backend_name=self.alias,
        )
        meta = DBTaskResult._meta
        fields = [field for field in meta.local_concrete_fields if not field.generated]
        using = router.db_for_write(DBTaskResult)
        # What save() does around its INSERT: django-tasks-db fills run_after in pre_save.
        signals.pre_save.send(
            sender=DBTaskResult, instance=row, raw=False, using=using, update_fields=None
        )
        if insert_prepared(DBTaskResult, [row], fields, meta.db_returning_fields, using) is None:
            row.save_base(force_insert=True, using=using)
            return row
        row._state.adding = False
        row._state.db = using
        signals.post_save.send(
            sender=DBTaskResult,
            instance=row,
            created=True,
            update_fields=None,
            raw=False,
            using=using,
        )
        return row
