"""The one SQL dialect layer: the repositories' SQLite SQL as PostgreSQL runs it.

Repositories write SQLite's SQL once. For PostgreSQL a statement is rewritten here (and
the result cached per text): placeholders ``?`` and ``:name`` become ``$n``, ``INSERT OR
IGNORE`` becomes ``ON CONFLICT DO NOTHING``, SQLite's functions become PostgreSQL's
(``group_concat``, ``julianday``, ``total``, ``json_each`` over a JSON list of ids),
``x IS ?`` becomes ``IS NOT DISTINCT FROM``, ``LIKE`` keeps SQLite's ASCII
case-insensitivity as ``ILIKE``, and the unary ``+`` SQLite uses to keep an index out of a
plan is dropped. Migrations get the column types (64-bit integers, identity ids, byte
strings, text compared byte-wise as in SQLite) and foreign keys to tables the same script
creates later.

For SQLite the only rewrite is the other way round: row locks (``FOR UPDATE [SKIP LOCKED]``)
are dropped, since BEGIN IMMEDIATE already holds the whole database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# one left-to-right scan: a comment may hold an apostrophe, a literal may hold "--"
_LITERAL = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*")
_MASK = re.compile(r"\x00(\d+)\x00")
_PARAM = re.compile(r"\?|(?<![:\w]):([A-Za-z_]\w*)")
_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_OR_REPLACE = re.compile(r"\bINSERT\s+OR\s+REPLACE\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+(\w+)\s*(\([^()]*\))?", re.IGNORECASE)
_ID_COLUMN = re.compile(r"[(,]\s*id\s*[,)]", re.IGNORECASE)
_FOR_UPDATE = re.compile(r"\s+FOR\s+UPDATE(\s+OF\s+\w+)?(\s+SKIP\s+LOCKED|\s+NOWAIT)?", re.I)
_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\bgroup_concat\(([^()]*)\)", re.I), r"string_agg(CAST(\1 AS TEXT), ',')"),
    (
        re.compile(r"\bjulianday\(([^()]*)\)", re.I),
        r"(extract(epoch from CAST(\1 AS timestamptz)) / 86400.0)",
    ),
    # json_each is used for JSON lists of ids (storage.stats_repo.scope_filter)
    (
        re.compile(r"\bSELECT\s+value\s+FROM\s+json_each\(([^()]*)\)", re.I),
        r"SELECT CAST(value AS BIGINT)"
        r" FROM json_array_elements_text(CAST(CAST(\1 AS TEXT) AS json))",
    ),
    (re.compile(r"\bIS\s+NOT\s+(\$\d+)", re.I), r"IS DISTINCT FROM \1"),
    (re.compile(r"\bIS\s+(\$\d+)", re.I), r"IS NOT DISTINCT FROM \1"),
    (re.compile(r"(?<=[\s(,])\+(?=[A-Za-z_])"), ""),
    (re.compile(r"\bLIKE\b", re.I), "ILIKE"),
)


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement as PostgreSQL runs it, and how to lay out its arguments."""

    sql: str
    names: tuple[str, ...] | None  # named parameters in $n order; None: positional
    count: int  # positional parameters
    table: str | None  # the table an INSERT writes, for its new id
    explicit_id: bool  # an INSERT that gives the id itself (a copy, a test's fixture)
    returns: bool  # already has RETURNING
    rows: bool  # yields rows (a query, or RETURNING)

    def args(self, params: Sequence[Any] | Mapping[str, Any]) -> list[Any]:
        if self.names is None and self.count == 0:
            return []
        if self.names is not None:
            if not isinstance(params, Mapping):
                raise TypeError("named parameters need a mapping")
            return [params[name] for name in self.names]
        if isinstance(params, Mapping):
            raise TypeError("positional parameters need a sequence")
        values = list(params)
        if len(values) != self.count:
            raise ValueError(f"statement takes {self.count} parameters, {len(values)} given")
        return values


def _mask(sql: str) -> tuple[str, list[str]]:
    """Drop comments; replace string literals and quoted names by markers, so rewrites see
    only code."""
    literals: list[str] = []

    def keep(match: re.Match[str]) -> str:
        if match.group(0).startswith("--"):
            return ""
        literals.append(match.group(0))
        return f"\x00{len(literals) - 1}\x00"

    return _LITERAL.sub(keep, sql), literals


_TOTAL = re.compile(r"\btotal\(", re.I)
_FILTER = re.compile(r"\s*FILTER\s*\(", re.I)


def _closing(code: str, start: int) -> int:
    """The index just past the parenthesis that closes the one open before start."""
    depth = 1
    for i in range(start, len(code)):
        if code[i] == "(":
            depth += 1
        elif code[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError(f"unbalanced parentheses in {code!r}")


def _totals(code: str) -> str:
    """SQLite's total(x) [FILTER (…)]: a sum that is 0 over no rows."""
    while (found := _TOTAL.search(code)) is not None:
        end = _closing(code, found.end())
        argument = code[found.end() : end - 1]
        tail = ""
        after = _FILTER.match(code, end)
        if after is not None:
            stop = _closing(code, after.end())
            tail = " " + code[end:stop].strip()
            end = stop
        code = f"{code[: found.start()]}COALESCE(SUM({argument}){tail}, 0){code[end:]}"
    return code


def _unmask(sql: str, literals: list[str]) -> str:
    return _MASK.sub(lambda m: literals[int(m.group(1))], sql)


_CACHE: dict[str, Statement] = {}


def postgres(sql: str) -> Statement:
    """A repository's statement for PostgreSQL (cached: the same text gives the same object)."""
    found = _CACHE.get(sql)
    if found is None:
        found = _CACHE[sql] = _translate(sql)
    return found


def _translate(sql: str) -> Statement:
    code, literals = _mask(sql)
    if _OR_REPLACE.search(code):
        raise NotImplementedError("INSERT OR REPLACE: write ON CONFLICT … DO UPDATE instead")
    names: list[str] = []
    positional = 0
    named = False

    def number(match: re.Match[str]) -> str:
        nonlocal positional, named
        name = match.group(1)
        if name is None:
            positional += 1
            return f"${positional}"
        named = True
        if name not in names:
            names.append(name)
        return f"${names.index(name) + 1}"

    code = _PARAM.sub(number, code)
    if named and positional:
        raise ValueError("a statement mixes ? and :name parameters")
    ignore = bool(_OR_IGNORE.search(code))
    if ignore:
        code = _OR_IGNORE.sub("INSERT INTO", code)
    for pattern, replacement in _REWRITES:
        code = pattern.sub(replacement, code)
    code = _totals(code)
    code = code.rstrip().rstrip(";")
    returns = bool(_RETURNING.search(code))
    if ignore:
        if returns:
            head, tail = _RETURNING.split(code, maxsplit=1)
            code = f"{head.rstrip()} ON CONFLICT DO NOTHING RETURNING{tail}"
        else:
            code += " ON CONFLICT DO NOTHING"
    insert = _INSERT_INTO.match(code)
    head = code.split(None, 1)[0].upper() if code.strip() else ""
    rows = returns or head in ("SELECT", "WITH", "VALUES")
    return Statement(
        sql=_unmask(code, literals),
        names=tuple(names) if named else None,
        count=positional,
        table=insert.group(1).lower() if insert else None,
        explicit_id=bool(insert and insert.group(2) and _ID_COLUMN.search(insert.group(2))),
        returns=returns,
        rows=rows,
    )


_SQLITE_CACHE: dict[str, str] = {}


def sqlite(sql: str) -> str:
    """A repository's statement for SQLite: row locks dropped (the write lock holds all)."""
    found = _SQLITE_CACHE.get(sql)
    if found is None:
        found = _SQLITE_CACHE[sql] = _FOR_UPDATE.sub("", sql) if "UPDATE" in sql else sql
    return found


# ---- migrations -------------------------------------------------------------------------

_CREATE_TABLE = re.compile(r"\bCREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.I)
_COLUMN_REF = re.compile(r"^(\s*)(\w+)(\s[^,\n]*?)\s+REFERENCES\s+(\w+)\s*\((\w+)\)", re.I | re.M)
_DDL_REWRITES: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b", re.I),
        "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    ),
    (re.compile(r"\bINTEGER\b", re.I), "BIGINT"),
    (re.compile(r"\bBLOB\b", re.I), "BYTEA"),
    # SQLite compares text byte-wise: ISO times, numbers and names sort the same here
    (re.compile(r"\bTEXT\b", re.I), 'TEXT COLLATE "C"'),
)


def postgres_ddl(script: str) -> str:
    """A migration script for PostgreSQL: its types, and forward foreign keys added last."""
    code, literals = _mask(script)
    statements = [s for s in (part.strip() for part in code.split(";")) if s]
    created = [m.group(1).lower() for s in statements if (m := _CREATE_TABLE.match(s))]
    out: list[str] = []
    deferred: list[str] = []
    for statement in statements:
        match = _CREATE_TABLE.match(statement)
        if match is not None:
            table = match.group(1).lower()
            later = set(created[created.index(table) + 1 :])

            def defer(ref: re.Match[str], table: str = table, later: set[str] = later) -> str:
                target = ref.group(4).lower()
                if target not in later:
                    return ref.group(0)
                deferred.append(
                    f"ALTER TABLE {table} ADD FOREIGN KEY ({ref.group(2)})"
                    f" REFERENCES {ref.group(4)}({ref.group(5)})"
                )
                return f"{ref.group(1)}{ref.group(2)}{ref.group(3)}"

            statement = _COLUMN_REF.sub(defer, statement)
        for pattern, replacement in _DDL_REWRITES:
            statement = pattern.sub(replacement, statement)
        out.append(statement)
    return _unmask(";\n".join([*out, *deferred]) + ";\n", literals)
