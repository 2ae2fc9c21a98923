"""One field validator for every data file of the project: the behaviour catalogue
(``spec/catalogue.py``), the differences (``conformance/differences``) and the
expectations (``conformance/expectations``). A schema is ``{field: (type,
required, hint)}``; a bad table fails through ``fail(field, why)``, which the
loader turns into its one-line error naming the file and the field."""
from __future__ import annotations

#: a list of non-empty strings (``explains``, ``only_in``, ``applies_to``...)
STRINGS = "list of strings"


def _ok(value, typ) -> bool:
    if typ is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if typ == STRINGS:
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    if typ is str:
        return isinstance(value, str) and bool(value.strip())
    return isinstance(value, typ)


def check_fields(table: dict, schema: dict, where: str, fail) -> None:
    """Every key of ``table`` is in ``schema``, every required one is present, and
    each value has its type (a string non-empty); ``where`` prefixes the field
    (``"checks[2]."``)."""
    if not isinstance(table, dict):
        fail(where.rstrip("."), "expected a table")
    for key in table:
        if key not in schema:
            fail(f"{where}{key}", f"unknown field; allowed: {', '.join(schema)}")
    for key, (typ, required, hint) in schema.items():
        if key not in table:
            if required:
                fail(f"{where}{key}", f"missing; add {hint}")
        elif not _ok(table[key], typ):
            fail(f"{where}{key}", f"expected {hint}, got {table[key]!r:.60}")
