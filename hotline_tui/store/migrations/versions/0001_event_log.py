"""The event log, the ticket projection, counters and meta.

Revision ID: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("seq", sa.Integer, primary_key=True),
        sa.Column("id", sa.String, nullable=False),
        sa.Column("ticket", sa.String, nullable=False),
        sa.Column("hlc", sa.BigInteger, nullable=False),
        sa.Column("desk", sa.String, nullable=False),
        sa.Column("actor", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("payload", sa.String, nullable=False),
        sa.UniqueConstraint("id", name="uq_event_id"),
    )
    op.create_index("ix_event_ticket_order", "event", ["ticket", "hlc", "id"])
    op.create_table(
        "ticket",
        sa.Column("number", sa.String, primary_key=True),
        sa.Column("state", sa.String, nullable=False),
        sa.Column("desk", sa.String, nullable=False),
        sa.Column("registered_ms", sa.BigInteger, nullable=False),
        sa.Column("caller_phone", sa.String, nullable=False, server_default=""),
        sa.Column("channel", sa.String, nullable=False),
        sa.Column("nature", sa.String, nullable=False),
        sa.Column("category", sa.String, nullable=False, server_default=""),
        sa.Column("place", sa.String),
        sa.Column("lead_unit", sa.String),
        sa.Column("claim_due_ms", sa.BigInteger),
        sa.Column("due_ms", sa.BigInteger),
        sa.Column("closed_ms", sa.BigInteger),
        sa.Column("flags", sa.String, nullable=False, server_default=""),
        sa.Column("summary", sa.String, nullable=False, server_default=""),
        sa.Column("last_hlc", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("data", sa.String, nullable=False),
    )
    op.create_index("ix_ticket_registered", "ticket", ["registered_ms", "number"])
    op.create_index("ix_ticket_state_due", "ticket", ["state", "due_ms"])
    op.create_index("ix_ticket_lead_state", "ticket", ["lead_unit", "state"])
    op.create_index("ix_ticket_caller", "ticket", ["caller_phone", "registered_ms"])
    op.create_index("ix_ticket_place", "ticket", ["place", "registered_ms"])
    op.create_table(
        "counter",
        sa.Column("name", sa.String, primary_key=True),
        sa.Column("value", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String, primary_key=True),
        sa.Column("value", sa.String, nullable=False, server_default=""),
    )


def downgrade() -> None:
    for table in ("meta", "counter", "ticket", "event"):
        op.drop_table(table)
