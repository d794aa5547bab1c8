"""Timer tests: a desk on each database backend, started on an open Wednesday afternoon."""

from __future__ import annotations

import pytest

from bot.db.engine import Database
from tests.services.timer_world import TimerWorld, local

# Wednesday 18 November 2026, 15:00 in New York: the desk is open.
OPEN_WEDNESDAY = local(2026, 11, 18, 15, 0)


@pytest.fixture
def desk_world(database: Database) -> TimerWorld:
    return TimerWorld(database, OPEN_WEDNESDAY)
