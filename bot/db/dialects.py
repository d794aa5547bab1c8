"""The one place that picks dialect-specific SQL (INSERT ... ON CONFLICT DO NOTHING)."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, SQLModel


def insert_ignoring_duplicates(
    session: Session, model: type[SQLModel], *, unique: list[str]
) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that silently skips a row clashing with the unique columns `unique`.

    Unlike catching IntegrityError, a skipped duplicate leaves the transaction usable, and a
    concurrent insert of the same key in another transaction makes this one wait, then skip.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing(index_elements=unique)
    if dialect == "sqlite":
        return sqlite.insert(model).on_conflict_do_nothing(index_elements=unique)
    raise NotImplementedError(f"unsupported database dialect {dialect!r}")
