"""Building the themes from the cases: every text placed, the rising topic measured, the
confidential cases counted but never an example, the command and the nightly job."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from resuelve.complaints.models import Complaint
from resuelve.themes.jobs import themes_build_nightly
from resuelve.themes.models import Theme, ThemeMember, ThemeRun
from resuelve.themes.services import EXAMPLES_KEPT, themes_build
from resuelve.themes.tests.conftest import BUILT_AT, CONFIDENTIAL
from resuelve.themes.tests.texts import DELIVERY, TEXTS

pytestmark = pytest.mark.django_db
TOPIC = {row[2]: row[0] for row in TEXTS}


def _topics(theme: Theme) -> Counter[str]:
    subjects = Complaint.objects.filter(pk__in=theme.members.values("complaint_id")).values_list(
        "subject", flat=True
    )
    return Counter(TOPIC[s] for s in subjects)


def test_it_puts_every_text_in_one_theme_of_one_topic(corpus) -> None:
    run = themes_build(now=BUILT_AT)
    assert run.n_texts == len(TEXTS) == ThemeMember.objects.filter(theme__run=run).count()
    themes = list(run.themes.all())
    assert sum(t.size for t in themes) == len(TEXTS)
    for theme in themes:
        assert len(_topics(theme)) == 1, (theme.label, _topics(theme))
        assert sum(theme.monthly) == theme.size  # every case is of the last twelve months
        assert sum(theme.languages.values()) == theme.size


def test_one_topic_in_four_languages_is_one_theme_named_in_each(corpus) -> None:
    run = themes_build(now=BUILT_AT)
    brakes = Theme.objects.get(run=run, members__complaint=corpus["Los frenos chirrían"])
    assert set(brakes.languages) == {"es", "en", "zh-hans", "et"}
    assert _topics(brakes) == Counter({"brakes": sum(1 for row in TEXTS if row[0] == "brakes")})
    assert brakes.terms_by_language[0][0] == "es"  # the language with most of its cases first
    words = dict(brakes.terms_by_language)
    assert "frenos" in words["es"] and "刹车" in words["zh-hans"]
    assert {"brakes", "brake", "squeak"} & set(words["en"])
    assert " · " in brakes.label and "frenos" in brakes.label


def test_the_late_deliveries_rise_and_the_others_do_not(corpus) -> None:
    run = themes_build(now=BUILT_AT)
    for theme in run.themes.all():
        late = _topics(theme)[DELIVERY] > 0
        assert run.params["months"][-3:] == ["2025-01", "2025-02", "2025-03"]
        if late and theme.size >= 3:
            assert theme.growth is not None and theme.growth >= 3, theme.label
        if not late:
            assert theme.growth is None or theme.growth < 1.5, theme.label


def test_confidential_cases_count_but_are_never_examples(corpus) -> None:
    run = themes_build(now=BUILT_AT)
    secret = {corpus[s].pk for s in CONFIDENTIAL}
    assert ThemeMember.objects.filter(complaint_id__in=secret).count() == 2
    examples = [e for t in run.themes.all() for e in t.examples]
    assert {e["id"] for e in examples}.isdisjoint(secret)
    assert not {e["subject"] for e in examples} & CONFIDENTIAL
    brakes_es = Theme.objects.get(run=run, members__complaint=corpus["Los frenos chirrían"])
    assert len(brakes_es.examples) == min(EXAMPLES_KEPT, brakes_es.size - 2) > 0


def test_texts_beyond_the_sample_are_placed_in_their_topic(corpus) -> None:
    run = themes_build(now=BUILT_AT, max_texts=30)
    assert run.params["learned_from"] == 30
    assert ThemeMember.objects.filter(theme__run=run).count() == len(TEXTS)
    mixed = sum(sum(_topics(t).values()) - max(_topics(t).values()) for t in run.themes.all())
    assert mixed <= 4


def test_it_keeps_the_last_three_builds(corpus) -> None:
    runs = [themes_build(now=BUILT_AT) for _ in range(4)]
    assert list(ThemeRun.objects.order_by("id")) == runs[1:]


def test_the_command_and_the_nightly_job_build_a_run(corpus, clock) -> None:
    out = StringIO()
    call_command("themes_build", stdout=out)
    assert f"themes from {len(TEXTS)} texts" in out.getvalue()
    result = themes_build_nightly()
    assert result["texts"] == len(TEXTS) and ThemeRun.objects.count() == 2


def test_the_worker_builds_the_themes_every_night() -> None:
    from datetime import time

    from django.utils.module_loading import import_string

    from resuelve.core.periodic import DEFAULT_JOBS

    (job,) = [job for job in DEFAULT_JOBS if job.name == "themes-build"]
    assert job.daily_at == time(3, 30) and import_string(job.path) is themes_build_nightly


def test_a_case_is_tagged_by_its_category_product_lot_and_root_cause() -> None:
    from resuelve.themes.services import _tags

    row = {"category_id": 3, "product_id": 7, "cause_id": 11, "purchase__batch": "LOTE-2611"}
    assert _tags(row) == ["category:3", "product:7", "cause:11", "lot:7/LOTE-2611"]
    bare = {"category_id": None, "product_id": None, "cause_id": None, "purchase__batch": ""}
    assert _tags(bare) == []
