"""Slack Connect's records: impact prompts, pinned help messages, unmapped-channel notices.

The constraints do the deciding: the unique (channel, message) of `shared_prompts` makes one
prompt per customer message, the channel key of `shared_channel_pins` one help message per
channel, and that of `unmapped_channel_notices` one notice per channel, across Slack's
retries and replicas alike.
"""

from __future__ import annotations

from pendulum import DateTime
from sqlalchemy import delete, or_, update
from sqlmodel import Session, col, select

from bot.db.account_tables import AccountChannelRow
from bot.db.connect_tables import SharedChannelPinRow, SharedPromptRow, UnmappedChannelNoticeRow
from bot.db.dialects import insert_ignoring_duplicates
from bot.domain.shared_prompts import SharedPrompt

Prompt = SharedPromptRow
Pin = SharedChannelPinRow


def _prompt(row: Prompt) -> SharedPrompt:
    return SharedPrompt(
        id=row.id or 0,
        channel_id=row.channel_id,
        message_ts=row.message_ts,
        user_id=row.user_id,
        account_id=row.account_id,
        text=row.text,
        created_at=row.created_at,  # type: ignore[arg-type]  # UTCDateTime loads pendulum
        expires_at=row.expires_at,  # type: ignore[arg-type]
        team_id=row.team_id,
        prompt_ts=row.prompt_ts,
        request_id=row.request_id,
        closed_at=row.closed_at,  # type: ignore[arg-type]
    )


class SharedChannelRecords:
    """Prompts, pins and notices of shared channels, bound to one transaction."""

    def __init__(self, session: Session) -> None:
        self._session = session

    # Prompts

    def claim_prompt(self, prompt: SharedPrompt) -> SharedPrompt | None:
        """Store the prompt for its message; None when the message already has one."""
        insert = insert_ignoring_duplicates(
            self._session, Prompt, unique=["channel_id", "message_ts"]
        )
        values = {
            "channel_id": prompt.channel_id,
            "message_ts": prompt.message_ts,
            "user_id": prompt.user_id,
            "team_id": prompt.team_id,
            "account_id": prompt.account_id,
            "text": prompt.text,
            "created_at": prompt.created_at,
            "expires_at": prompt.expires_at,
        }
        result = self._session.exec(
            insert.values(**values).execution_options(preserve_rowcount=True)
        )
        if result.rowcount != 1:
            return None
        return self.by_message(prompt.channel_id, prompt.message_ts)

    def by_message(self, channel_id: str, message_ts: str) -> SharedPrompt | None:
        statement = select(Prompt).where(
            col(Prompt.channel_id) == channel_id, col(Prompt.message_ts) == message_ts
        )
        row = self._session.exec(statement).first()
        return None if row is None else _prompt(row)

    def prompt(self, prompt_id: int, *, lock: bool = False) -> SharedPrompt | None:
        """The prompt; `lock` holds its row until the commit (None if another replica does)."""
        statement = select(Prompt).where(col(Prompt.id) == prompt_id)
        if lock:
            statement = statement.with_for_update(skip_locked=True)
        row = self._session.exec(statement.execution_options(populate_existing=True)).first()
        return None if row is None else _prompt(row)

    def posted(self, prompt_id: int, prompt_ts: str) -> None:
        """Where the prompt was posted, in the customer's thread."""
        self._set(prompt_id, prompt_ts=prompt_ts)

    def filed(self, prompt_id: int, request_id: int, *, now: DateTime) -> None:
        """The request filed from the prompt's message; the prompt offers nothing more."""
        self._set(prompt_id, request_id=request_id, closed_at=now)

    def close(self, prompt_id: int, *, now: DateTime) -> None:
        self._set(prompt_id, closed_at=now)

    def lapsed(self, *, now: DateTime, limit: int) -> list[int]:
        """Open prompts past their expiry, oldest first (the partial index serves this)."""
        statement = (
            select(col(Prompt.id))
            .where(col(Prompt.closed_at).is_(None), col(Prompt.expires_at) <= now)
            .order_by(col(Prompt.expires_at))
            .limit(limit)
        )
        return [prompt_id for prompt_id in self._session.exec(statement).all() if prompt_id]

    def _set(self, prompt_id: int, **values: object) -> None:
        self._session.exec(update(Prompt).where(col(Prompt.id) == prompt_id).values(**values))

    # Pinned help messages

    def unpinned_channels(self, *, stale_before: DateTime, limit: int) -> list[str]:
        """Mapped channels with no help message yet, or whose last try is stale."""
        statement = (
            select(col(AccountChannelRow.channel_id))
            .outerjoin(Pin, col(Pin.channel_id) == col(AccountChannelRow.channel_id))
            .where(
                or_(
                    col(Pin.channel_id).is_(None),
                    col(Pin.pinned_at).is_(None) & (col(Pin.claimed_at) < stale_before),
                )
            )
            .order_by(col(AccountChannelRow.channel_id))
            .limit(limit)
        )
        return list(self._session.exec(statement).all())

    def claim_pin(self, channel_id: str, *, now: DateTime, stale_before: DateTime) -> bool:
        """Take the channel's help message for this worker: a new row, or a stale try's."""
        insert = insert_ignoring_duplicates(self._session, Pin, unique=["channel_id"])
        result = self._session.exec(
            insert.values(channel_id=channel_id, claimed_at=now).execution_options(
                preserve_rowcount=True
            )
        )
        if result.rowcount == 1:
            return True
        retaken = self._session.exec(
            update(Pin)
            .where(
                col(Pin.channel_id) == channel_id,
                col(Pin.pinned_at).is_(None),
                col(Pin.claimed_at) < stale_before,
            )
            .values(claimed_at=now)
            .execution_options(preserve_rowcount=True)
        )
        return bool(retaken.rowcount == 1)

    def pin_message(self, channel_id: str) -> str | None:
        """The help message already posted in the channel, if any (it may await its pin)."""
        row = self._session.get(Pin, channel_id)
        return None if row is None else row.message_ts

    def help_posted(self, channel_id: str, message_ts: str) -> None:
        self._session.exec(
            update(Pin).where(col(Pin.channel_id) == channel_id).values(message_ts=message_ts)
        )

    def help_pinned(self, channel_id: str, *, now: DateTime) -> None:
        self._session.exec(
            update(Pin).where(col(Pin.channel_id) == channel_id).values(pinned_at=now)
        )

    # Unmapped shared channels

    def claim_unmapped_notice(self, channel_id: str, team_id: str | None, *, now: DateTime) -> bool:
        """True the first time an unmapped shared channel is seen (the notice is owed)."""
        insert = insert_ignoring_duplicates(
            self._session, UnmappedChannelNoticeRow, unique=["channel_id"]
        )
        result = self._session.exec(
            insert.values(channel_id=channel_id, team_id=team_id, noticed_at=now).execution_options(
                preserve_rowcount=True
            )
        )
        return bool(result.rowcount == 1)

    def forget_unmapped_notice(self, channel_id: str) -> None:
        """The notice was not posted after all: owed again."""
        self._session.exec(
            delete(UnmappedChannelNoticeRow).where(
                col(UnmappedChannelNoticeRow.channel_id) == channel_id
            )
        )
