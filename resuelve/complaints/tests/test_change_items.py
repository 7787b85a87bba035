"""How an event's changes read on the timeline: field names and choices in the reader's
language, times in the company's zone, and the details of extensions and merges too."""

from __future__ import annotations

from django.utils import translation

from resuelve.complaints.templatetags.complaints_tags import change_items


def test_an_extension_reads_as_words_and_local_times_not_keys():
    changes = {
        "amount": 5,
        "unit": "business_days",
        "previous_due_at": "2026-12-24T04:59:59+00:00",
        "due_at": "2026-12-31T04:59:59+00:00",
    }
    with translation.override("en"):
        items = change_items(changes)
    assert items == [
        ("extended by", 5),
        ("unit", "business days"),
        ("answer by, before", "2026-12-23 23:59"),  # Bogotá, the company's zone
        ("answer by", "2026-12-30 23:59"),
    ]
    with translation.override("es"):
        labels = [label for label, _value in change_items(changes)]
    assert "amount" not in labels and "previous due at" not in labels


def test_a_merge_reads_as_counts_not_id_pairs():
    changes = {"duplicate": "RS-ZZC98-XGD30", "messages_copied": [[1, 9], [2, 10]]}
    with translation.override("en"):
        assert change_items(changes) == [
            ("duplicate merged in", "RS-ZZC98-XGD30"),
            ("messages copied", 2),
        ]


def test_an_investigation_note_reads_as_labelled_details_not_a_python_dict():
    changes = {
        "investigation": {"cause": "proveedor", "findings": "Lote defectuoso", "evidence": []}
    }
    with translation.override("en"):
        (item,) = change_items(changes)
    assert item == ("investigation", "cause: proveedor; findings: Lote defectuoso")
