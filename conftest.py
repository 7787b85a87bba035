"""Shared test fixtures live in resuelve.testing.fixtures so every app's tests use the same
personas and complaint factory."""

from hypothesis import settings

# Tests assert behaviour, never timings: hypothesis' per-example deadline failed property
# tests on a loaded machine.
settings.register_profile("resuelve", deadline=None)
settings.load_profile("resuelve")

pytest_plugins = ["resuelve.testing.fixtures"]
