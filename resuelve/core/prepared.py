"""ORM statements compiled once and run many times, for the paths every complaint takes.

Django compiles a queryset or an INSERT into SQL on every run: ~0.25 ms each, twenty times
what SQLite or PostgreSQL need to run an indexed lookup or a one-row insert. Filing a
complaint runs the same dozen statements every time, so on the intake path they are
compiled on first use per database connection and kept:

- `PreparedInsertModel`, an abstract base: `save()` and `bulk_create()` of its models reuse
  the INSERT's SQL. `save()` overrides and field `pre_save` (auto_now) still run as always;
  only the SQL text is not rebuilt.
- `Prepared`, a read built with the ORM and run again with other values:
  `Prepared(lambda digest: ApiToken.objects.filter(digest=digest)[:1]).all(raw_digest)`.

Both fall back to Django's own path for anything they do not handle (expressions as values,
ON CONFLICT, backends without RETURNING), so they change speed, never results.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain
from typing import Any, Generic, TypeVar

from django.db import connections, models
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    ValuesListIterable,
    get_related_populators,
)
from django.db.models.sql import InsertQuery

M = TypeVar("M", bound=models.Model)

# Per connection object (one per thread and alias), so nothing compiled is shared between
# threads; a connection's compiled statements go with it.
_inserts: weakref.WeakKeyDictionary[Any, dict[tuple[Any, ...], Any]] = weakref.WeakKeyDictionary()


class _PreparedInsertQuerySet(models.QuerySet[M]):
    def bulk_create(  # type: ignore[override]
        self, objs: Sequence[M], batch_size: int | None = None, **options: Any
    ) -> list[M]:
        """Django's bulk_create; new rows with nothing but defaults asked for go in one
        prepared statement, without its batching and partitioning."""
        objs = list(objs)
        meta = self.model._meta
        if options or batch_size is not None or not objs or meta.auto_field is None:
            return super().bulk_create(objs, batch_size=batch_size, **options)
        if any(obj._is_pk_set() for obj in objs):
            return super().bulk_create(objs)
        for obj in objs:
            obj._prepare_related_fields_for_save(operation_name="bulk_create")
        fields = [f for f in meta.concrete_fields if not f.generated and f is not meta.auto_field]
        returning = meta.db_returning_fields
        rows = insert_prepared(self.model, objs, fields, returning, self.db)
        if rows is None:
            return super().bulk_create(objs)
        for obj, row in zip(objs, rows, strict=True):
            for value, field in zip(row, returning, strict=True):
                setattr(obj, field.attname, value)
            obj._state.adding = False
            obj._state.db = self.db
        return objs

    def _insert(  # type: ignore[override]
        self,
        objs: Sequence[models.Model],
        fields: Sequence[models.Field[Any, Any]],
        returning_fields: Sequence[models.Field[Any, Any]] | None = None,
        raw: bool = False,
        using: str | None = None,
        on_conflict: Any = None,
        update_fields: Any = None,
        unique_fields: Any = None,
    ) -> list[tuple[Any, ...]]:
        using = using or self.db
        if on_conflict is None and not raw:
            rows = insert_prepared(self.model, objs, fields, returning_fields, using)
            if rows is not None:
                return rows
        return super()._insert(  # type: ignore[misc]
            objs,
            fields,
            returning_fields=returning_fields,
            raw=raw,
            using=using,
            on_conflict=on_conflict,
            update_fields=update_fields,
            unique_fields=unique_fields,
        )


class PreparedInsertManager(models.Manager.from_queryset(_PreparedInsertQuerySet)):  # type: ignore[misc]
    pass


class PreparedInsertModel(models.Model):
    """A model whose inserts (save and bulk_create) reuse their compiled SQL."""

    objects = PreparedInsertManager()

    class Meta:
        abstract = True

    def _do_insert(  # type: ignore[override]
        self,
        manager: models.Manager[Any],
        using: str,
        fields: Sequence[models.Field[Any, Any]],
        returning_fields: Sequence[models.Field[Any, Any]],
        raw: bool,
    ) -> list[tuple[Any, ...]]:
        if not raw:
            rows = insert_prepared(type(self), [self], fields, returning_fields, using)
            if rows is not None:
                return rows
        return super()._do_insert(manager, using, fields, returning_fields, raw)  # type: ignore[misc]


def insert_prepared(
    model: type[models.Model],
    objs: Sequence[models.Model],
    fields: Sequence[models.Field[Any, Any]],
    returning_fields: Sequence[models.Field[Any, Any]] | None,
    using: str,
) -> list[tuple[Any, ...]] | None:
    """INSERT `objs` with SQL compiled once per connection, model, row count and columns, and
    return what Django's compiler would (the RETURNING rows). None: not handled here."""
    connection = connections[using]
    features = connection.features
    if not objs or not fields:
        return None
    if returning_fields and not features.can_return_columns_from_insert:
        return None
    if any(hasattr(field, "get_placeholder") for field in fields):
        return None
    many = len(objs) > 1
    if many and returning_fields and not features.can_return_rows_from_bulk_insert:
        return None
    key = (
        model,
        len(objs),
        tuple(field.attname for field in fields),
        tuple(field.attname for field in returning_fields or ()),
    )
    compiled = _inserts.setdefault(connection, {})
    entry = compiled.get(key)
    if entry is False:
        return None
    if entry is None:
        query = InsertQuery(model)
        query.insert_values(fields, objs)
        compiler = query.get_compiler(using=using)
        compiler.returning_fields = list(returning_fields or ()) or None
        statements = compiler.as_sql()
        if len(statements) != 1:
            compiled[key] = False  # several statements: Django's path
            return None
        sql = statements[0][0]
        cols = [field.get_col(model._meta.db_table) for field in returning_fields or ()]
        entry = (sql, compiler, compiler.get_converters(cols))
        query.objs = []
        compiled[key] = entry
    sql, compiler, converters = entry
    value_rows = []
    for obj in objs:
        row = [compiler.pre_save_val(field, obj) for field in fields]
        if any(hasattr(value, "resolve_expression") for value in row):
            return None  # an expression changes the SQL: Django compiles it
        value_rows.append(
            [field.get_db_prep_save(v, connection) for field, v in zip(fields, row, strict=True)]
        )
    _placeholders, param_rows = compiler.assemble_as_sql(fields, value_rows)
    if not returning_fields:
        with connection.cursor() as cursor:
            cursor.execute(sql, tuple(chain.from_iterable(param_rows)))
        return []
    params = (
        [*param_rows, compiler.returning_params]
        if many
        else [param_rows[0], compiler.returning_params]
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, tuple(chain.from_iterable(params)))
        if many:
            rows = list(connection.ops.fetch_returned_insert_rows(cursor))
        else:
            rows = [connection.ops.fetch_returned_insert_columns(cursor, compiler.returning_params)]
    return _convert(rows, converters, connection)


def _convert(rows: list[Any], converters: dict[int, Any], connection: Any) -> list[tuple[Any, ...]]:
    if not converters:
        return [tuple(row) for row in rows]
    converted = []
    for row in rows:
        values = list(row)
        for position, (functions, expression) in converters.items():
            value = values[position]
            for function in functions:
                value = function(value, expression, connection)
            values[position] = value
        converted.append(tuple(values))
    return converted


class Prepared(Generic[M]):
    """A read built with the ORM by `build(*values)` and compiled once per connection; `all`
    runs it with other values. The values must be strings or whole numbers compared as they
    are (equality, `in` is not supported), each used once in the query. Querysets of model
    instances (with select_related) and values_list querysets are supported."""

    def __init__(
        self, build: Callable[..., models.QuerySet[Any]], *kinds: type, using: str = "default"
    ) -> None:
        self.build = build
        self.kinds = kinds
        self.using = using
        self._compiled: weakref.WeakKeyDictionary[Any, Any] = weakref.WeakKeyDictionary()

    def _markers(self, count: int) -> list[Any]:
        kinds = self.kinds or (str,) * count
        return [
            f"\x1fprepared-{i}\x1f" if kind is str else -7_340_000_000_000 - i
            for i, kind in enumerate(kinds)
        ]

    def _compile(self, connection: Any, count: int) -> Any:
        markers = self._markers(count)
        queryset = self.build(*markers).using(self.using)
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        positions = []
        for marker in markers:
            found = [i for i, param in enumerate(params) if param == marker]
            if len(found) != 1:
                raise ValueError(f"Prepared query: value {marker!r} is not one parameter: {sql}")
            positions.append(found[0])
        fields = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        entry = (
            sql,
            list(params),
            positions,
            compiler,
            compiler.get_converters(fields),
            queryset._iterable_class,
            queryset.db,
        )
        self._compiled[connection] = entry
        return entry

    def all(self, *values: Any) -> list[Any]:
        """The query's results for these values, as the queryset would give them."""
        connection = connections[self.using]
        entry = self._compiled.get(connection) or self._compile(connection, len(values))
        sql, params, positions, compiler, converters, iterable, db = entry
        kinds = self.kinds or (str,) * len(values)
        if len(values) != len(positions) or len(kinds) != len(positions):
            raise TypeError(f"Prepared query takes {len(positions)} values, not {len(values)}")
        run = list(params)
        for position, value, kind in zip(positions, values, kinds, strict=True):
            if not isinstance(value, kind):
                raise TypeError(f"Prepared query expects {kind.__name__}, not {value!r}")
            run[position] = value
        with connection.cursor() as cursor:
            cursor.execute(sql, run)
            rows = _convert(cursor.fetchall(), converters, connection)
        if iterable is FlatValuesListIterable:
            return [row[0] for row in rows]
        if iterable is ValuesListIterable:
            return rows
        if iterable is not ModelIterable:
            raise TypeError(f"Prepared query: {iterable.__name__} results are not supported")
        return _instances(compiler, rows, db)

    def first(self, *values: Any) -> Any:
        found = self.all(*values)
        return found[0] if found else None


def _instances(compiler: Any, rows: list[tuple[Any, ...]], db: str) -> list[models.Model]:
    """Model instances from rows, as ModelIterable builds them (select_related included)."""
    select, klass_info = compiler.select, compiler.klass_info
    if compiler.annotation_col_map:
        raise TypeError("Prepared query: annotations are not supported")
    model_cls = klass_info["model"]
    select_fields = klass_info["select_fields"]
    start, end = select_fields[0], select_fields[-1] + 1
    init_list = [column[0].target.attname for column in select[start:end]]
    populators = get_related_populators(klass_info, select, db)
    found = []
    for row in rows:
        obj = model_cls.from_db(db, init_list, row[start:end])
        for populator in populators:
            populator.populate(row, obj)
        found.append(obj)
    return found


@contextmanager
def pipelined(using: str = "default") -> Iterator[None]:
    """On PostgreSQL, send the block's statements without waiting for each answer
    (psycopg's pipeline mode): only a statement whose result is read waits, so inserts
    whose keys nobody reads (`insert_only`) cost no round trip. Errors are raised at the
    latest when the block ends, as Django's exceptions. Elsewhere it does nothing."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def insert_only(objs: Sequence[models.Model], using: str = "default") -> None:
    """Insert new rows whose keys are not read afterwards (their `pk` stays unset, so they
    must not be saved again): no RETURNING, so inside `pipelined` the statement does not
    wait for PostgreSQL."""
    if not objs:
        return
    model = type(objs[0])
    meta = model._meta
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert_only")
    fields = [f for f in meta.concrete_fields if not f.generated and f is not meta.auto_field]
    if insert_prepared(model, objs, fields, None, using) is None:
        model._base_manager.using(using).bulk_create(objs)
