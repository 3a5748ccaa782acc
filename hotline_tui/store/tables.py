"""Tables of the store, declared with SQLModel. Migrations in ``migrations/`` create and change them."""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from hotline_tui.store.projection import NO_DUE

COMMITTED = "commit_due_ms IS NOT NULL"  # the commitments' partial index (0011): a few tickets of a store
COMMIT_INDEXED = ("commit_due_ms", "closed_ms", "number", "state", "commit_unit", "commit_ms", "commit_by",
                  "registered_ms", "due_key", "lead_unit")
UNFINISHED = "state NOT IN ('closed', 'merged', 'transferred')"  # the partial indexes' condition (0004, 0005)
REPORTED = "state != 'merged'"  # the monthly ranking's indexes (0007): stated word for word by reports/facts.py


# what a filter tests, held by the indexes of unfinished tickets so such filters never read the table (0005)
FILTERED = ("state", "due_ms", "lead_unit", "place", "channel", "nature", "category", "flags", "urgency",
            "call_count", "return_count", "callback", "tid")


def has_flag(code: str) -> str:
    return f"instr(' ' || flags || ' ', ' {code} ') > 0"


class EventRow(SQLModel, table=True):
    """One immutable event. ``seq`` is this store's arrival order (the push cursor); ``id`` is global."""

    __tablename__ = "event"
    __table_args__ = (
        UniqueConstraint("id", name="uq_event_id"),
        Index("ix_event_ticket_order", "ticket", "hlc", "id"),
        # the supervision events by time, for the audit (migration 0008)
        Index("ix_event_supervision", "hlc", sqlite_where=text("kind IN ('escalate', 'urge', 'supervise', 'list')")),
        Index("ix_event_register", "ticket", "kind", sqlite_where=text("kind = 'register'")),  # migration 0012
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
    # the number it was recorded under, when the collision rule moved it (store/collisions.py; migration 0012)
    origin: str | None = None


class TicketRow(SQLModel, table=True):
    """The current state of one ticket, folded from its events and written in the same transaction."""

    __tablename__ = "ticket"
    __table_args__ = (
        # widened by migration 0005 with every column a filter tests (a walk in registration order reads no row)
        Index("ix_ticket_registered", "registered_ms", "number", "due_key", *FILTERED),
        Index("ix_ticket_state_due", "state", "due_ms"),
        Index("ix_ticket_lead_state", "lead_unit", "state"),
        Index("ix_ticket_caller_key", "caller_key", "registered_ms"),  # a caller's history (migration 0009)
        Index("ix_ticket_place", "place", "registered_ms"),
        # the unfinished requests only (migration 0004; same WHERE as store/intake_queries.UNFINISHED)
        Index("ix_ticket_place_open", "place", "registered_ms", "number", "state", "category", "summary",
              sqlite_where=text(UNFINISHED)),
        # what the supervisors' filters sort and count by (migration 0005)
        Index("ix_ticket_due", "due_key", "number", "registered_ms", *FILTERED),
        Index("ix_ticket_calls", "call_count", "registered_ms", "number"),
        Index("ix_ticket_returns", "return_count", "registered_ms", "number"),
        Index("ix_ticket_callback", "callback", "registered_ms", "number", "lead_unit", "place", "state"),
        Index("ix_ticket_category", "category", "registered_ms"),
        Index("ix_ticket_channel", "channel", "registered_ms"),
        Index("ix_ticket_nature", "nature", "registered_ms"),
        Index("ix_ticket_tid", "tid"),  # migration 0006
        # the monthly ranking's cohorts, each read from its index alone; partial, so no filter uses them (0007)
        Index("ix_ticket_month_facts", "registered_ms", "lead_unit", "channel", "nature", "state", "claimed_ms",
              "claim_due_ms", sqlite_where=text(REPORTED)),
        Index("ix_ticket_due_facts", "due_key", "lead_unit", "channel", "nature", "state", "due_ms", "replied_ms",
              "closed_ms", "callback", sqlite_where=text(REPORTED)),
        Index("ix_ticket_unit_due", text("ifnull(lead_unit, '')"), "due_key", "number", "state"),
        Index("ix_ticket_unfinished_due", "due_key", "number", *FILTERED, sqlite_where=text(UNFINISHED)),
        Index("ix_ticket_unfinished_age", "registered_ms", "number", "due_key", *FILTERED, sqlite_where=text(UNFINISHED)),
        *(Index(f"ix_ticket_flag_{name}", "registered_ms", "number", "state", "due_key", sqlite_where=text(has_flag(flag)))
          for name, flag in (("listed", "listed"), ("escalated", "escalated"), ("disputed", "disputed_callback"))),
        # 不解决找我: the committed tickets by the promised day, with what the workbench and the report test (0011)
        Index("ix_ticket_commitment", *COMMIT_INDEXED, sqlite_where=text(COMMITTED)),
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
    # copies of values of the folded state that filters ask for (migration 0005)
    urgency: str = Field(default="normal", sa_column_kwargs={"server_default": "normal"})
    registered_by: str = Field(default="", sa_column_kwargs={"server_default": ""})
    call_count: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    return_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    urge_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    reopen_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    extension_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    callback: str = Field(default="", sa_column_kwargs={"server_default": ""})  # the callback's satisfaction
    due_key: int = Field(default=NO_DUE, sa_type=BigInteger, sa_column_kwargs={"server_default": str(NO_DUE)})
    claimed_ms: int | None = Field(default=None, sa_type=BigInteger)
    replied_ms: int | None = Field(default=None, sa_type=BigInteger)
    tid: int | None = None  # the ticket's own integer key (ticket_key.tid), which the full-text index carries
    # the keyed hash of the caller's number (privacy/seal.py; migration 0009): caller_phone holds its mask
    caller_key: str = Field(default="", sa_column_kwargs={"server_default": ""})
    # 不解决找我 (migration 0011): the promised day's last millisecond, when, the cadre's unit and name
    commit_due_ms: int | None = Field(default=None, sa_type=BigInteger)
    commit_ms: int | None = Field(default=None, sa_type=BigInteger)
    commit_unit: str | None = None
    commit_by: str | None = None


class TicketUnitRow(SQLModel, table=True):
    """Which units a ticket is with (lead and assisting): a unit's own open items come from here."""

    __tablename__ = "ticket_unit"
    __table_args__ = (Index("ix_ticket_unit_unit", "unit", "number"),)

    number: str = Field(primary_key=True)
    unit: str = Field(primary_key=True)
    role: str  # lead | assist


class TicketKeyRow(SQLModel, table=True):
    """Each ticket's own integer key, given once (migration 0006): the full-text index's rowids carry it
    (store/search_index.py); ``texts`` counts the ticket's documents in that index."""

    __tablename__ = "ticket_key"

    tid: int | None = Field(default=None, primary_key=True)
    number: str = Field(unique=True)
    texts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class CounterRow(SQLModel, table=True):
    __tablename__ = "counter"

    name: str = Field(primary_key=True)
    value: int = 0


class MetaRow(SQLModel, table=True):
    __tablename__ = "meta"

    key: str = Field(primary_key=True)
    value: str = ""


class UserRow(SQLModel, table=True):
    """A user as the ``~user/<name>`` stream's events make it (migration 0008; hotline_tui/auth/users.py)."""

    __tablename__ = "user"

    name: str = Field(primary_key=True)
    role: str
    unit: str | None = None
    disabled: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    password_hash: str = Field(default="", sa_column_kwargs={"server_default": ""})
    demo: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_ms: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": "0"})
    changed_ms: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": "0"})
    changed_by: str = Field(default="", sa_column_kwargs={"server_default": ""})


class SyncStateRow(SQLModel, table=True):
    """Sync bookkeeping (migration 0003): one row, id 1, for the hub this desk syncs with."""

    __tablename__ = "sync_state"

    id: int | None = Field(default=None, primary_key=True)
    hub_id: str
    hub: str = Field(default="", sa_column_kwargs={"server_default": ""})  # its URL, password removed
    pull_cursor: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": "0"})  # hub seq held up to
    push_cursor: int = Field(default=0, sa_type=BigInteger, sa_column_kwargs={"server_default": "0"})  # local event.seq pushed up to
    last_sync_ms: int | None = Field(default=None, sa_type=BigInteger)


class ShiftRow(SQLModel, table=True):
    """A cadre's shadow shift (接线体悟), projected from its ``~shift/<id>`` stream (migration 0010)."""

    __tablename__ = "shift"
    __table_args__ = (
        Index("ix_shift_cadre", "cadre", "started_ms"),
        Index("ix_shift_started", "started_ms", "id"),
        Index("ix_shift_sitting", "desk", "operator", "started_ms"),
    )

    id: str = Field(primary_key=True)
    cadre: str
    unit: str = Field(default="", sa_column_kwargs={"server_default": ""})
    desk: str  # the desk the cadre sits at
    operator: str  # the operator they sit with
    started_ms: int = Field(sa_type=BigInteger)
    ended_ms: int | None = Field(default=None, sa_type=BigInteger)


class LiveDraftRow(SQLModel, table=True):
    """What an operator is typing on the intake screen, for the cadre beside them (migration 0010): local,
    never synced, no event; the number masked."""

    __tablename__ = "live_draft"

    desk: str = Field(primary_key=True)
    operator: str = Field(primary_key=True)
    updated_ms: int = Field(sa_type=BigInteger)
    phone: str = Field(default="", sa_column_kwargs={"server_default": ""})
    nature: str = Field(default="", sa_column_kwargs={"server_default": ""})
    category: str = Field(default="", sa_column_kwargs={"server_default": ""})
    place: str = Field(default="", sa_column_kwargs={"server_default": ""})
    summary: str = Field(default="", sa_column_kwargs={"server_default": ""})


class DutyCardRow(SQLModel, table=True):
    """The newest duty card a unit's cadre published (stream ``~card/<unit>``, directory/published_cards.py;
    migration 0011): it wins over the shipped card. ``hlc``/``event_id``: the publication's place in the log,
    so every desk keeps the same one whatever order they arrive in."""

    __tablename__ = "duty_card"

    unit: str = Field(primary_key=True)
    version: int
    fields: str  # the five card fields as JSON
    published_by: str
    published_ms: int = Field(sa_type=BigInteger)
    desk: str = ""
    hlc: int = Field(sa_type=BigInteger)
    event_id: str
