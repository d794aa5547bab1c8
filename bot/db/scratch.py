"""Throwaway PostgreSQL schemas, for tests and benchmarks that must not touch real data."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from bot.db.engine import make_engine, normalize_url


@contextmanager
def scratch_schema(base_url: str, *, prefix: str = "scratch") -> Iterator[str]:
    """A fresh, randomly named schema, dropped afterwards; yields a URL that works inside it."""
    name = f"{prefix}_{uuid.uuid4().hex[:16]}"
    admin = make_engine(base_url)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{name}"'))
        url = normalize_url(base_url).update_query_dict({"options": f"-csearch_path={name}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
        admin.dispose()
