"""Shared test fixtures live in resuelve.testing.fixtures so every app's tests use the same
personas and complaint factory."""

pytest_plugins = ["resuelve.testing.fixtures"]
