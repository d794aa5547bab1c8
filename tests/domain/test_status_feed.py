"""Reading Statuspage listings: every documented field, unknown words kept, bad feeds refused."""

from __future__ import annotations

import json
from typing import Any

import pendulum
import pytest

from bot.domain.status_feed import FeedInvalid, merge_listings, parse_listing


def raw_incident(**overrides: Any) -> dict[str, Any]:
    incident: dict[str, Any] = {
        "id": "p31zjtct2jer",
        "name": "Email delivery delayed",
        "status": "identified",
        "impact": "major",
        "created_at": "2026-05-01T09:39:00.123-04:00",
        "updated_at": "2026-05-01T10:02:00.000-04:00",
        "resolved_at": None,
        "shortlink": "https://stspg.io/abc123",
        "page_id": "kctbh9vrtdwd",
        "components": [{"id": "c1", "name": "Channel - Email"}, {"id": "c2", "name": "API"}],
        "incident_updates": [
            {
                "id": "u2",
                "status": "identified",
                "body": "Found it.",
                "created_at": "2026-05-01T10:02:00.000-04:00",
                "display_at": "2026-05-01T10:02:00.000-04:00",
            },
            {
                "id": "u1",
                "status": "investigating",
                "body": "Looking into it.",
                "created_at": "2026-05-01T09:39:00.123-04:00",
            },
        ],
    }
    incident.update(overrides)
    return incident


def listing(*incidents: dict[str, Any]) -> bytes:
    return json.dumps({"page": {"id": "kctbh9vrtdwd"}, "incidents": list(incidents)}).encode()


def test_a_listing_becomes_incidents_with_utc_instants_and_ordered_updates() -> None:
    (incident,) = parse_listing(listing(raw_incident()))

    assert incident.id == "p31zjtct2jer"
    assert incident.name == "Email delivery delayed"
    assert (incident.status, incident.impact) == ("identified", "major")
    assert incident.created_at == pendulum.datetime(2026, 5, 1, 13, 39, 0, 123000)
    assert incident.created_at.timezone_name == "UTC"
    assert incident.resolved_at is None
    assert incident.shortlink == "https://stspg.io/abc123"
    assert incident.components == ("Channel - Email", "API")
    assert [u.id for u in incident.updates] == ["u1", "u2"]  # oldest first
    assert incident.updates[1].created_at == pendulum.datetime(2026, 5, 1, 14, 2)


@pytest.mark.parametrize("status", ["scheduled", "in_progress", "verifying", "completed", "Weird"])
@pytest.mark.parametrize("impact", ["maintenance", "severe", "NONE"])
def test_unknown_statuses_and_impacts_are_kept_as_words(status: str, impact: str) -> None:
    update = {"id": "u1", "status": status, "body": "", "created_at": "2026-05-01T13:39:00Z"}
    raw = raw_incident(status=status, impact=impact, incident_updates=[update])

    (incident,) = parse_listing(listing(raw))

    assert incident.status == status.lower()
    assert incident.impact == impact.lower()
    assert incident.updates[0].status == status.lower()


def test_optional_fields_may_be_missing_or_null() -> None:
    raw = raw_incident(shortlink=None, resolved_at="2026-05-01T14:17:00Z", status="resolved")
    for name in ("components", "incident_updates"):
        del raw[name]

    (incident,) = parse_listing(listing(raw))

    assert incident.shortlink is None
    assert incident.components == ()
    assert incident.updates == ()
    assert incident.resolved_at == pendulum.datetime(2026, 5, 1, 14, 17)


def test_numeric_ids_are_read_as_text() -> None:
    (incident,) = parse_listing(listing(raw_incident(id=12345)))

    assert incident.id == "12345"


@pytest.mark.parametrize("field", ["id", "name", "status", "impact", "created_at"])
def test_an_incident_missing_a_required_field_refuses_the_whole_listing(field: str) -> None:
    broken = raw_incident()
    del broken[field]

    with pytest.raises(FeedInvalid) as raised:
        parse_listing(listing(raw_incident(id="fine"), broken))

    assert raised.value.reason.startswith(f"incidents[1].{field}:")


@pytest.mark.parametrize("field", ["id", "status", "body", "created_at"])
def test_an_update_missing_a_required_field_refuses_the_listing(field: str) -> None:
    raw = raw_incident()
    del raw["incident_updates"][0][field]

    with pytest.raises(FeedInvalid, match=rf"incidents\[0\]\.incident_updates\[0\]\.{field}"):
        parse_listing(listing(raw))


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"<html>502 Bad Gateway</html>", "not valid JSON"),
        (b'{"incidents": [', "not valid JSON"),
        (b"[]", "listing: Input should be"),
        (b'{"page": {}}', "incidents: Field required"),
        (b'{"incidents": [{"id": ""}]}', "incidents[0].id:"),
    ],
)
def test_what_is_not_a_listing_is_refused_with_a_reason(payload: bytes, reason: str) -> None:
    with pytest.raises(FeedInvalid) as raised:
        parse_listing(payload)

    assert raised.value.reason.startswith(reason)


def test_naive_timestamps_are_refused() -> None:
    with pytest.raises(FeedInvalid, match="created_at"):
        parse_listing(listing(raw_incident(created_at="2026-05-01T13:39:00")))


def test_an_empty_listing_is_a_valid_listing() -> None:
    assert parse_listing(listing()) == ()


def test_merged_listings_hold_each_incident_once_in_its_fullest_form() -> None:
    recent = parse_listing(listing(raw_incident(), raw_incident(id="older")))
    update = {
        "id": "u3",
        "status": "monitoring",
        "body": "Fix out.",
        "created_at": "2026-05-01T14:30:00Z",
    }
    fuller = raw_incident(incident_updates=[update, *raw_incident()["incident_updates"]])
    unresolved = parse_listing(listing(fuller, raw_incident(id="long-running")))

    merged = {incident.id: incident for incident in merge_listings(recent, unresolved)}

    assert sorted(merged) == ["long-running", "older", "p31zjtct2jer"]
    assert [u.id for u in merged["p31zjtct2jer"].updates] == ["u1", "u2", "u3"]
