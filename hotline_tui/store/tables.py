"""Tables of the store, declared with SQLModel. Migrations in ``migrations/`` create and change them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel


class EventRow(SQLModel, table=True):
    """One immutable event. ``seq`` is this store's arrival order (the push cursor); ``id`` is global."""

    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("id", name="uq_event_id"),
        Index("ix_event_ticket_order", "ticket", "hlc", "id"),
    )

    seq: int | None = Field(default=None, primary_key=True)
    id: str
    ticket: str
    hlc: int = Field(sa_type=BigInteger)
    desk: str
    actor: str
    kind: str
    payload: str = "{}"
    # the hub's sequence number it was pulled with; NULL for this desk's own events (migration 0003)
    hub_seq: int | None = Field(default=None, sa_type=BigInteger)


class TicketRow(SQLModel, table=True):
    """The current state of one ticket, folded from its events and written in the same transaction."""

    __tablename__ = "ticket"
    __table_args__ = (
        Index("ix_ticket_registered", "registered_ms", "number"),
        Index("ix_ticket_state_due", "state", "due_ms"),
        Index("ix_ticket_lead_state", "lead_unit", "state"),
        Index("ix_ticket_caller", "caller_phone", "registered_ms"),
        Index("ix_ticket_place", "place", "registered_ms"),
        # the unfinished requests only (migration 0004; same WHERE as store/intake_queries.UNFINISHED)
        Index("ix_ticket_place_open", "place", "registered_ms", "number", "state", "category", "summary",
              sqlite_where=text("state NOT IN ('closed', 'merged', 'transferred')")),
    )

    number: str = Field(primary_key=True)
    state: str
    desk: str
    registered_ms: int = Field(sa_type=BigInteger)
    caller_phone: str = ""
    channel: str
    nature: str
    category: str = ""
    place: str | None = None
    lead_unit: str | None = None
    claim_due_ms: int | None = Field(default=None, sa_type=BigInteger)
    due_ms: int | None = Field(default=None, sa_type=BigInteger)
    closed_ms: int | None = Field(default=None, sa_type=BigInteger)
    flags: str = ""
    summary: str = ""
    last_hlc: int = Field(default=0, sa_type=BigInteger)
    data: str  # the whole folded state as JSON (domain.ticket.Ticket)


class TicketUnitRow(SQLModel, table=True):
    """Which units a ticket is with (lead and assisting): a unit's own open items come from here."""

    __tablename__ = "ticket_unit"
    __table_args__ = (Index("ix_ticket_unit_unit", "unit", "number"),)

    number: str = Field(primary_key=True)
    unit: str = Field(primary_key=True)
    role: str  # lead | assist


class CounterRow(SQLModel, table=True):
    __tablename__ = "counter"

    name: str = Field(primary_key=True)
    value: int = 0


class MetaRow(SQLModel, table=True):
    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str = ""


class SyncStateRow(SQLModel, table=True):
    """Sync bookkeeping (migration 0003): one row, id 1, for the hub this desk syncs with."""

    __tablename__ = "sync_state"

    id: int | None = Field(default=None, primary_key=True)
    hub_id: str
    hub: str = Field(default="", sa_column_kwargs={"server_default": ""})  # its URL, password removed
    pull_cursor: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": "0"})  # hub seq held up to
    push_cursor: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": "0"})  # local event.seq pushed up to
    last_sync_ms: int | None = Field(default=None, sa_type=BigInteger)
