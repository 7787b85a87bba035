"""Settings for the `resuelve worker` processes test_periodic starts and kills: the database
queue on a file SQLite database, beats every second and the orphan check every second."""

from resuelve.settings.dev import *  # noqa: F403

DEBUG = False  # no autoreloader: the killed process is the worker itself
RESUELVE_WORKER_HEARTBEAT_SECONDS = 1
RESUELVE_PERIODIC_JOBS = [
    {
        "name": "requeue-orphaned-tasks",
        "path": "resuelve.core.periodic.requeue_orphaned_tasks",
        "every": 1,
        "inline": True,
    }
]
