"""Single-row SQL for the few hottest paths (a vote: docs/PERFORMANCE.md "Votes").

Compiling a queryset costs 1.5–2.7 ms of CPU per statement on our 2-core machines —
more than the database takes to run it — and a vote needs a dozen statements. These
helpers write the statement once per shape and still go through each field's own
database preparation (`get_db_prep_save`) and the backend's converters, so values
read and written here are exactly what the ORM would read and write, on PostgreSQL
and on SQLite. Everything else uses the ORM.
"""

from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections


def execute(sql: str, params: list | tuple = ()) -> tuple | None:
    """Run one statement; its first row, if it returns any.

    On PostgreSQL the statement is prepared on the connection the first time and only
    executed after that: these few shapes run on every vote, and PostgreSQL need not
    parse and plan them again each time.
    """
    db = connections[DEFAULT_DB_ALIAS]
    with _prepared_cursor(db) if db.vendor == "postgresql" else db.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone() if _has_rows(cursor.cursor) else None


def _prepared_cursor(db):
    """Django's cursor wrapper (error translation, query logging, execute_wrappers) around a
    psycopg cursor that binds parameters on the server and prepares every statement.

    Django turns psycopg's automatic preparation off for the whole connection (it breaks
    behind a transaction-mode pooler such as PgBouncer, which we do not deploy: the pool is
    Django's own, ARCHITECTURE.md §6); this asks for it per statement, for these only. It
    takes effect only because settings.py gives psycopg a preparation threshold (with
    None, Django's default, psycopg ignores prepare=True) and PostgreSQL a generic plan;
    tests/backend/test_rows.py checks both.
    """
    db.ensure_connection()
    return db._prepare_cursor(_prepared_cursor_class().open(db))


@cache
def _prepared_cursor_class():
    """Built once (the imports stay off the vote path); PostgreSQL only."""
    from django.db.backends.postgresql.base import TIMESTAMPTZ_OID, ServerBindingCursor
    from django.db.backends.postgresql.psycopg_any import register_tzloader
    from psycopg.pq import Format

    class PreparedCursor(ServerBindingCursor):
        @classmethod
        def open(cls, db):
            cursor = cls(db.connection)
            loader = cursor.adapters.get_loader(TIMESTAMPTZ_OID, Format.TEXT)
            if db.timezone != loader.timezone:
                register_tzloader(db.timezone, cursor)  # as Django's own create_cursor does
            return cursor

        def execute(self, query, params=None, *, prepare=True, binary=None):
            return super().execute(query, params, prepare=prepare, binary=binary)

    return PreparedCursor


def _has_rows(cursor) -> bool:
    """Whether the statement returned rows. psycopg's `description` builds a Column object
    per column on every call (0.3 ms per vote under the profiler); `rownumber` is None
    exactly when there is no result to fetch."""
    if hasattr(cursor, "rownumber"):
        return cursor.rownumber is not None
    return cursor.description is not None


@cache
def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


@cache
def _fields(model) -> tuple:
    return tuple(model._meta.concrete_fields)


@cache
def columns(model, alias: str = "") -> str:
    """Every concrete column of `model` (under `alias`, if given), in field order (for `load`)."""
    quote = connection.ops.quote_name
    prefix = f"{alias}." if alias else ""
    return ", ".join(f"{prefix}{quote(field.column)}" for field in _fields(model))


def load(model, row, start: int = 0):
    """Build a `model` instance from `row[start:]` as `columns(model, …)` selected it.

    Returns the instance and the index after its columns, so one row can hold several
    models (a hand-written select_related).
    """
    fields = _fields(model)
    values = list(row[start : start + len(fields)])
    db = connections[DEFAULT_DB_ALIAS]  # not the `connection` proxy: one lookup, not one per value
    for index, field in enumerate(fields):
        if values[index] is None:
            continue
        expression, converters = _converters(field, db.vendor)
        for converter in converters:
            values[index] = converter(values[index], expression, db)
    instance = model.from_db(db.alias, _attnames(model), values)
    return instance, start + len(fields)


@cache
def _attnames(model) -> tuple:
    return tuple(field.attname for field in _fields(model))


@cache
def _converters(field, vendor: str) -> tuple:
    """What the ORM would apply to the field's raw value on this database (e.g. SQLite's
    text timestamps → aware datetimes)."""
    expression = field.get_col(field.model._meta.db_table)
    converters = connection.ops.get_db_converters(expression)
    return expression, converters + expression.get_db_converters(connection)


def together(*statements: tuple) -> list:
    """Run independent writes — each `(sql, params, returning)` — as one round trip on
    PostgreSQL (data-modifying CTEs: those that return something run in the order given,
    the others after them), one after the other elsewhere.

    `returning` is "" (nothing), one column ("id": its value) or several ("length, head":
    a tuple); a statement that touched no row gives None. Independent means: different
    rows, and none reads what another writes (all CTEs of one statement see the same
    snapshot) — except by name: on PostgreSQL a fourth element names the statement's CTE,
    and a later statement may read its RETURNING row (`(SELECT last_seq FROM bump)`).
    """
    wanted = [
        [name.strip() for name in statement[2].split(",") if name.strip()]
        for statement in statements
    ]
    values = []
    if connection.vendor != "postgresql":
        for (sql, params, returning, *_name), names in zip(statements, wanted, strict=True):
            row = execute(f"{sql} RETURNING {returning}" if names else sql, params)
            values.extend(row if row is not None else [None] * len(names))
    else:
        ctes, selects, params = [], [], []
        for index, (sql, statement_params, returning, *name) in enumerate(statements):
            names, cte = wanted[index], name[0] if name else f"w{index}"
            ctes.append(f"{cte} AS ({sql}{f' RETURNING {returning}' if names else ''})")
            # One scalar subquery per column, left to right: the CTEs run (and take their
            # row locks) in the order given, whatever the planner would do with a join.
            selects += [f"(SELECT {column} FROM {cte})" for column in names]  # noqa: S608
            params.extend(statement_params)
        # A CTE nobody reads still runs, to completion, after the SELECT has read the rest.
        values = list(
            execute(f"WITH {', '.join(ctes)} SELECT {', '.join(selects) or 'NULL'}", params)
        )
    results, at = [], 0
    for names in wanted:
        part = tuple(values[at : at + len(names)])
        at += len(names)
        if not names or all(value is None for value in part):
            results.append(None)
        else:
            results.append(part[0] if len(names) == 1 else part)
    return results


def insert_sql(model, values: dict) -> tuple[str, list]:
    """INSERT of one row; `values` maps field names (attnames for foreign keys) to values."""
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in values]
    params = [
        field.get_db_prep_save(value, connection)
        for field, value in zip(fields, values.values(), strict=True)
    ]
    sql = (
        f"INSERT INTO {table(model)} ({', '.join(quote(field.column) for field in fields)})"  # noqa: S608
        f" VALUES ({', '.join(['%s'] * len(fields))})"
    )
    return sql, params


def insert(model, values: dict, returning: str = "") -> tuple | None:
    """INSERT one row; `values` maps field names (attnames for foreign keys) to Python values.

    Every NOT NULL column must be given: no Python-side default is applied.
    """
    sql, params = insert_sql(model, values)
    return execute(f"{sql} RETURNING {returning}" if returning else sql, params)


def prepare(model, name: str, value):
    """A Python value as the database stores field `name` (for hand-written WHERE/SET)."""
    return model._meta.get_field(name).get_db_prep_save(value, connection)
