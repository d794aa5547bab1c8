"""What a fresh listing of an incident owes the support channel."""

from __future__ import annotations

from dataclasses import replace

import pendulum
import pytest

from bot.domain.incident_sync import Announcement, Reply, Tracked, sync_step
from bot.domain.incidents import Incident, IncidentUpdate

T0 = pendulum.datetime(2026, 5, 1, 13, 39)
NOW = T0.add(minutes=5)
FIRST = IncidentUpdate("u1", "investigating", "Looking into it.", T0)
SECOND = IncidentUpdate("u2", "identified", "Found it.", T0.add(minutes=20))
RESOLVING = IncidentUpdate("u3", "resolved", "Fixed.", T0.add(minutes=38))


def going(*updates: IncidentUpdate) -> Incident:
    latest = updates[-1].status if updates else "investigating"
    return Incident("inc1", "Email is slow", latest, "minor", T0, updates=updates or (FIRST,))


def over(*updates: IncidentUpdate) -> Incident:
    return replace(going(*updates), status="resolved", resolved_at=T0.add(minutes=38))


def test_a_new_active_incident_is_owed_an_announcement_that_tells_its_updates() -> None:
    step = sync_step(None, going(FIRST, SECOND), first_look=True, now=NOW)

    assert step is not None
    assert step.announcement is Announcement.OWED
    assert step.new_updates == ((FIRST, Reply.QUIET), (SECOND, Reply.QUIET))
    assert step.refresh is False


def test_on_the_first_look_at_a_feed_past_incidents_are_history() -> None:
    step = sync_step(None, over(FIRST, RESOLVING), first_look=True, now=NOW)

    assert step is not None
    assert step.announcement is Announcement.QUIET


@pytest.mark.parametrize(("hours", "owed"), [(1, True), (23, True), (25, False)])
def test_an_incident_that_came_and_went_between_polls_is_announced_if_recent(
    hours: int, owed: bool
) -> None:
    step = sync_step(None, over(FIRST, RESOLVING), first_look=False, now=T0.add(hours=hours))

    assert step is not None
    assert (step.announcement is Announcement.OWED) is owed


def test_nothing_new_is_no_step() -> None:
    known = Tracked(going(FIRST), Announcement.POSTED)

    assert sync_step(known, going(FIRST), first_look=False, now=NOW) is None


def test_a_later_update_of_an_announced_incident_is_owed_a_reply_and_an_edit() -> None:
    known = Tracked(going(FIRST), Announcement.POSTED)

    step = sync_step(known, going(FIRST, SECOND), first_look=False, now=NOW)

    assert step is not None
    assert step.announcement is Announcement.POSTED
    assert step.new_updates == ((SECOND, Reply.OWED),)
    assert step.refresh is True
    assert step.incident.status == "identified"


def test_updates_before_the_announcement_is_posted_are_told_by_it() -> None:
    known = Tracked(going(FIRST), Announcement.OWED)

    step = sync_step(known, going(FIRST, SECOND), first_look=False, now=NOW)

    assert step is not None
    assert step.new_updates == ((SECOND, Reply.QUIET),)
    assert step.refresh is False


def test_a_changed_fact_without_updates_only_edits_the_announcement() -> None:
    known = Tracked(going(FIRST), Announcement.POSTED)

    step = sync_step(known, replace(going(FIRST), impact="major"), first_look=False, now=NOW)

    assert step is not None
    assert step.new_updates == ()
    assert step.refresh is True


def test_updates_the_feed_no_longer_lists_are_kept() -> None:
    known = Tracked(going(FIRST, SECOND), Announcement.POSTED)

    step = sync_step(known, going(RESOLVING), first_look=False, now=NOW)

    assert step is not None
    assert [u.id for u in step.incident.updates] == ["u1", "u2", "u3"]
    assert step.new_updates == ((RESOLVING, Reply.OWED),)


def test_a_past_incident_that_comes_back_is_announced() -> None:
    known = Tracked(over(FIRST, RESOLVING), Announcement.QUIET)
    reopened = IncidentUpdate("u4", "investigating", "It is back.", T0.add(hours=2))

    step = sync_step(known, going(FIRST, RESOLVING, reopened), first_look=False, now=NOW)

    assert step is not None
    assert step.announcement is Announcement.OWED
    assert step.new_updates == ((reopened, Reply.QUIET),)
