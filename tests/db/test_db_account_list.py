"""`/kustomer-support list` for a customer account: the whole account's open requests."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.clock import ManualClock
from bot.db.engine import Database
from bot.domain.accounts import Account, PlanTier
from bot.domain.calendar import BusinessCalendar
from bot.domain.requests import RequestStatus
from bot.domain.sla import SlaPolicy
from bot.services.home import team_view
from bot.services.queries import requester_list
from tests.db.test_db_home import Engineers, Reader
from tests.services.reporting_history import NOW, history, store

ACME = Account(name="Acme", tier=PlanTier.ENTERPRISE, channel_ids=("C_ACME",), id=7)


@pytest.fixture
def reader(database: Database) -> Reader:
    requests = history()
    store(
        database,
        [
            requests["H4"].but(account_id=ACME.id, requester_id="U_ADA"),
            requests["H5"].but(account_id=ACME.id, requester_id="U_BEA"),
            requests["M2"].but(account_id=ACME.id, status=RequestStatus.RESOLVED),
            requests["L2"].but(account_id=99),
            requests["L3"],
        ],
    )
    return Reader(database, ManualClock(NOW), SlaPolicy(BusinessCalendar.default()), Engineers())


def _names(requests: tuple[object, ...]) -> list[str]:
    return [request.subject.split(":")[0] for request in requests]  # type: ignore[attr-defined]


def test_a_customer_sees_every_open_request_of_their_account(reader: Reader) -> None:
    listed = requester_list(
        reader,
        team_id="T0001",
        requester_id="U_BEA",
        open_limit=10,
        resolved_limit=5,
        account=ACME,
    )
    assert _names(listed.open) == ["H5", "H4"]  # a colleague's too; newest first; open only
    assert listed.account == "Acme"


def test_without_an_account_the_list_is_the_persons_own(reader: Reader) -> None:
    listed = requester_list(
        reader, team_id="T0001", requester_id="U_BEA", open_limit=10, resolved_limit=5
    )
    assert _names(listed.open) == ["H5"]
    assert listed.account is None


def test_the_engineers_queue_carries_the_names_of_its_accounts(reader: Reader) -> None:
    with reader.db.unit_of_work() as uow:
        globex = uow.accounts.add(
            replace(ACME, name="Globex", channel_ids=("C_GLOBEX",), id=0), now=NOW
        )
        (l3,) = [r for r in uow.requests.open_queue(team_id=None, limit=10) if r.account_id is None]
        uow.requests.save(l3.but(account_id=globex.id))

    team = team_view(reader, now=NOW)

    # Requests of accounts since removed (7 and 99 were never stored) show no account.
    assert team.accounts == {globex.id: "Globex"}
