"""Each request keeps the policy terms of its filing: editing the settings moves only new ones.

The desk is restarted on the same database with other REMINDER_FRACTIONS: a new Desk and
SlaPolicy, as `bot.runtime` builds them from the edited settings.
"""

from __future__ import annotations

from bot.db.engine import Database
from bot.domain.model import Request
from bot.domain.sla_terms import SlaTerms
from bot.domain.timer_kinds import TimerKind
from tests.services.timer_world import TimerWorld, local

WEDNESDAY = (2026, 11, 18)
BEFORE = (0.5, 0.8)
AFTER = (0.25, 0.9)


def _restarted(before: TimerWorld, fractions: tuple[float, ...]) -> TimerWorld:
    """The same desk started afresh with other settings, at the same instant."""
    return TimerWorld(before.desk.db, before.clock.now(), fractions=fractions)


def test_a_request_keeps_its_reminder_fractions_after_the_settings_change(
    database: Database,
) -> None:
    before = TimerWorld(database, local(*WEDNESDAY, 15, 0), fractions=BEFORE)
    old = before.file("high")  # due 16:00
    before.clock.set(local(*WEDNESDAY, 15, 10))
    after = _restarted(before, AFTER)
    new = after.file("high")  # due 16:10

    assert after.reload(old).terms == SlaTerms(reminder_fractions=BEFORE)
    assert after.reload(new).terms == SlaTerms(reminder_fractions=AFTER)
    expected = [
        ((15, 25), new, "first_response_reminder", 0.25),
        ((15, 30), old, "first_response_reminder", 0.5),
        ((15, 48), old, "first_response_reminder", 0.8),
        ((16, 0), old, "first_response_breach", None),
        ((16, 4), new, "first_response_reminder", 0.9),
        ((16, 10), new, "first_response_breach", None),
    ]
    for (hour, minute), request, kind, fraction in expected:
        assert after.at(local(*WEDNESDAY, hour, minute).subtract(seconds=1)) == []
        assert after.at(local(*WEDNESDAY, hour, minute))[0] == (request.key, kind)
        assert after.last[0].fraction == fraction
    # The resolution clock keeps them too: its one reminder (to the assignee) is at the
    # request's own last fraction.
    after.take(old)
    after.take(new)
    assert _resolution_fractions(after, old) == [0.8]
    assert _resolution_fractions(after, new) == [0.9]


def test_a_change_after_the_restart_replans_under_the_request_own_terms(
    database: Database,
) -> None:
    before = TimerWorld(database, local(*WEDNESDAY, 15, 0), fractions=BEFORE)
    old = before.file("high")
    before.clock.set(local(*WEDNESDAY, 15, 20))
    after = _restarted(before, AFTER)

    after.change_priority(old, "medium")  # due 17:00, re-planned from the creation instant

    assert after.at(local(*WEDNESDAY, 15, 30)) == []  # 25 % would have been 15:30
    assert after.at(local(*WEDNESDAY, 16, 0)) == [(old.key, "first_response_reminder")]
    assert after.at(local(*WEDNESDAY, 16, 36)) == [(old.key, "first_response_reminder")]
    assert after.last[0].fraction == 0.8
    assert after.at(local(*WEDNESDAY, 17, 0))[0] == (old.key, "first_response_breach")
    assert after.reload(old).terms.reminder_fractions == BEFORE


def test_catching_up_after_downtime_keeps_the_request_own_terms(database: Database) -> None:
    before = TimerWorld(database, local(*WEDNESDAY, 15, 0), fractions=BEFORE)
    old = before.file("low")  # pings 17:00 and 18:12, due 19:00
    # Down until 18:40, then started with the new settings: its newest ping is said. (Under
    # the new terms a 90 % ping, 18:36, would be due already and silence the 80 % one.)
    after = _restarted(before, AFTER)

    assert after.at(local(*WEDNESDAY, 18, 40)) == [(old.key, "first_response_reminder")]
    assert after.last[0].fraction == 0.8


def _resolution_fractions(world: TimerWorld, request: Request) -> list[float | None]:
    """The fractions of the request's pending resolution pings, earliest first."""
    with world.desk.db.unit_of_work() as uow:
        timers = uow.timers.pending(request.id)
    return [t.fraction for t in timers if t.kind is TimerKind.RESOLUTION_REMINDER]
