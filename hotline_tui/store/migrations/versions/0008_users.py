"""Users and the audit: the ``user`` table folded from the ``~user/<name>`` streams (hotline_tui/auth/users.py),
and a partial index of the supervision events (escalate, urge, supervise, list) by time, so ``hotline audit``
finds escalations and bulk actions without reading the whole log (other events never enter it: the
registrations, dispatches and replies that make most of the log cost it nothing).

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"

SUPERVISION = "kind IN ('escalate', 'urge', 'supervise', 'list')"  # word for word as auth/audit.py asks


def upgrade() -> None:
    op.create_table(
        "user",
        sa.Column("name", sa.String, primary_key=True),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("unit", sa.String, nullable=True),
        sa.Column("disabled", sa.Integer, nullable=False, server_default="0"),
        sa.Column("password_hash", sa.String, nullable=False, server_default=""),
        sa.Column("demo", sa.Integer, nullable=False, server_default="0"),
        sa.Column("created_ms", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("changed_ms", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("changed_by", sa.String, nullable=False, server_default=""),
    )
    op.create_index("ix_event_supervision", "event", ["hlc"], sqlite_where=sa.text(SUPERVISION))
    # users already in the log (a store that synced with a newer desk before upgrading) get their rows
    from hotline_tui.auth.users import _project
    from hotline_tui.store.event_store import EVENT_COLUMNS, row_event

    conn = op.get_bind()
    rows = conn.execute(sa.text(f"SELECT {EVENT_COLUMNS} FROM event WHERE ticket >= '~user/' AND ticket < '~user/\uffff'"))
    events = [row_event(r) for r in rows]
    if events:
        _project(conn, events)


def downgrade() -> None:
    op.drop_index("ix_event_supervision", table_name="event")
    op.drop_table("user")
