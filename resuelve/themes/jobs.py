"""The nightly themes build, as the periodic job runs it."""

from __future__ import annotations

from typing import Any


def themes_build_nightly() -> dict[str, Any]:
    from resuelve.themes.services import themes_build

    run = themes_build()
    return {"run": run.pk, "texts": run.n_texts, "themes": run.themes.count()}
