"""Every reference from a complaint is looked up through an index (deleting a customer, a
department or a user checks the complaints that point to it), and no index is kept twice:
each one costs every filing an update."""

from __future__ import annotations

from django.db import connection

from resuelve.complaints.models import Complaint


def _indexes() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, Complaint._meta.db_table)
    return {name: info["columns"] for name, info in found.items() if info["index"]}


def test_every_reference_leads_an_index(db):
    leading = {columns[0] for columns in _indexes().values() if columns}
    for field in Complaint._meta.concrete_fields:
        if field.is_relation:
            assert field.column in leading, f"{field.column} has no index starting with it"


def test_no_single_column_index_repeats_the_start_of_another(db):
    indexes = _indexes()
    singles = {name: cols[0] for name, cols in indexes.items() if len(cols) == 1}
    for name, column in singles.items():
        longer = [other for other, cols in indexes.items() if len(cols) > 1 and cols[0] == column]
        assert not longer, f"{name} on {column} is covered by {longer}"
