"""What the supervisors' filters ask of a ticket, as columns of the projection, and the indexes their
sorts and counts need at millions of tickets (the workbench, F5, and ``hotline query``).

The new columns are copies of values of the folded state (``data``), written with it by the projection;
existing stores are backfilled from ``data`` here, in SQL.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"

# A due date no ticket has: tickets without a deadline sort after every dated one (``due_key``).
NO_DUE = 1 << 53

COLUMNS = (  # name, type, server default, backfill expression over ``data``
    ("urgency", sa.String, "normal", "coalesce(json_extract(data, '$.urgency'), 'normal')"),
    ("registered_by", sa.String, "", "coalesce(json_extract(data, '$.registered_by'), '')"),
    ("call_count", sa.Integer, "1", "coalesce(json_extract(data, '$.call_count'), 1)"),
    ("return_count", sa.Integer, "0", "coalesce(json_extract(data, '$.return_count'), 0)"),
    ("urge_count", sa.Integer, "0", "coalesce(json_extract(data, '$.urge_count'), 0)"),
    ("reopen_count", sa.Integer, "0", "coalesce(json_extract(data, '$.reopen_count'), 0)"),
    ("extension_count", sa.Integer, "0", "coalesce(json_extract(data, '$.extension_count'), 0)"),
    ("callback", sa.String, "", "coalesce(json_extract(data, '$.callback.satisfaction'), '')"),
    ("due_key", sa.BigInteger, str(NO_DUE), f"coalesce(due_ms, {NO_DUE})"),
)
TIMES = (  # nullable times
    ("claimed_ms", "json_extract(data, '$.claimed_ms')"),
    ("replied_ms", "json_extract(data, '$.replied_ms')"),
)
# the ticket's own integer key, which the full-text index's rowids carry (given by migration 0006)
UNFINISHED = "state NOT IN ('closed', 'merged', 'transferred')"  # as store/intake_queries.UNFINISHED


def has_flag(code: str) -> str:  # as query.compile.flag_condition, without the table alias
    return f"instr(' ' || flags || ' ', ' {code} ') > 0"


FILTERED = ["state", "due_ms", "lead_unit", "place", "channel", "nature", "category", "flags", "urgency",
            "call_count", "return_count", "callback", "tid"]
INDEXES = (  # name, columns, partial WHERE
    # the two orders a list is walked in most, holding every column a filter tests: a walk tests each ticket
    # from the index alone and reads the table only for the rows of the page
    ("ix_ticket_due", ["due_key", "number", "registered_ms", *FILTERED], None),
    ("ix_ticket_calls", ["call_count", "registered_ms", "number"], None),
    ("ix_ticket_returns", ["return_count", "registered_ms", "number"], None),
    ("ix_ticket_callback", ["callback", "registered_ms", "number", "lead_unit", "place", "state"], None),
    ("ix_ticket_category", ["category", "registered_ms"], None),
    ("ix_ticket_channel", ["channel", "registered_ms"], None),
    ("ix_ticket_nature", ["nature", "registered_ms"], None),
    ("ix_ticket_unit_due", [sa.text("ifnull(lead_unit, '')"), "due_key", "number", "state"], None),
    # the unfinished requests (a few percent of a store) in due and in registration order, with every column
    # a filter tests, so a filter of them is answered from the index alone
    ("ix_ticket_unfinished_due", ["due_key", "number", *FILTERED], UNFINISHED),
    ("ix_ticket_unfinished_age", ["registered_ms", "number", "due_key", *FILTERED], UNFINISHED),
    # the rare flags the supervisors' presets start from
    ("ix_ticket_flag_listed", ["registered_ms", "number", "state", "due_key"], has_flag("listed")),
    ("ix_ticket_flag_escalated", ["registered_ms", "number", "state", "due_key"], has_flag("escalated")),
    ("ix_ticket_flag_disputed", ["registered_ms", "number", "state", "due_key"], has_flag("disputed_callback")),
)


def upgrade() -> None:
    op.drop_index("ix_ticket_registered", table_name="ticket")  # 0001's (registered_ms, number), widened below
    with op.batch_alter_table("ticket", recreate="never") as batch:
        for name, kind, default, _ in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=False, server_default=default))
        for name, _ in TIMES:
            batch.add_column(sa.Column(name, sa.BigInteger, nullable=True))
        batch.add_column(sa.Column("tid", sa.Integer, nullable=True))
    sets = ", ".join(f"{name} = {expr}" for name, _, _, expr in COLUMNS)
    sets += ", " + ", ".join(f"{name} = {expr}" for name, expr in TIMES)
    op.execute(f"UPDATE ticket SET {sets}")
    op.create_index("ix_ticket_registered", "ticket", ["registered_ms", "number", "due_key", *FILTERED])
    for name, columns, where in INDEXES:
        op.create_index(name, "ticket", columns, sqlite_where=sa.text(where) if where else None)
    op.execute("ANALYZE")  # the planner's statistics: which index narrows a filter most


def downgrade() -> None:
    for name, *_ in INDEXES:
        op.drop_index(name, table_name="ticket")
    op.drop_index("ix_ticket_registered", table_name="ticket")
    op.create_index("ix_ticket_registered", "ticket", ["registered_ms", "number"])
    with op.batch_alter_table("ticket") as batch:
        for name, *_ in (*COLUMNS, *TIMES):
            batch.drop_column(name)
        batch.drop_column("tid")
