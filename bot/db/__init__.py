"""Persistence: SQLModel tables, engine and sessions, repositories, Alembic migrations."""
