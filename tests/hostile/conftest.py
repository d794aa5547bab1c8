"""Hostile-input fixtures: the hypothesis profiles and the e2e world they attack.

`ci` (the default) is bounded and deterministic; `long` explores:
`pytest tests/hostile --hypothesis-profile=long`.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from bot.devtools.harness import Harness
from tests.conftest import DATABASE_PARAMS
from tests.e2e import conftest as e2e
from tests.e2e.flows import stored_requests
from tests.hostile.checks import Barrage, Filed

# The world of the end-to-end tests: stand-in, app over HTTP, signed driver; everything the
# app sent is checked against Slack's limits when the test ends.
clock = e2e.clock
make_world = e2e.make_world
world = e2e.world

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", parent=settings.get_profile("ci"), max_examples=2000, derandomize=False
)
if settings.get_current_profile_name() == "default":
    settings.load_profile("ci")

# Parsing does not depend on the database: SQLite for each parser, one PostgreSQL run.
sqlite_only = pytest.mark.parametrize("database_url", DATABASE_PARAMS[:1], indirect=True)
postgres_only = pytest.mark.parametrize("database_url", DATABASE_PARAMS[1:], indirect=True)


@pytest.fixture
def filed(world: Harness) -> Filed:
    """A valid request filed before the barrage."""
    return Filed.now(world)


@pytest.fixture
def barrage(world: Harness, filed: Filed) -> Iterator[Barrage]:
    """Sends hostile requests after the valid filing, checking each one."""
    with Barrage(world).watching() as sender:
        yield sender
    answered = dict(sorted(sender.statuses.items()))
    filed_now = len(stored_requests(world))
    print(f"\nhostile requests answered: {answered}; requests stored: {filed_now}")
    for reason, count in sender.refusals.most_common():
        print(f"  {count:4d} x {reason}")
