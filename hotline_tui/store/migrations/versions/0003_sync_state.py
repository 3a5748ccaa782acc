"""Sync bookkeeping: which hub this desk syncs with, the pull and push cursors, the last sync time,
and on every event the hub sequence number it was pulled with (NULL for this desk's own events).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.add_column("event", sa.Column("hub_seq", sa.BigInteger, nullable=True))
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer, primary_key=True),  # one row, id 1: the hub this desk syncs with
        sa.Column("hub_id", sa.String, nullable=False),
        sa.Column("hub", sa.String, nullable=False, server_default=""),  # its URL, password removed
        sa.Column("pull_cursor", sa.BigInteger, nullable=False, server_default="0"),  # hub seq held up to
        sa.Column("push_cursor", sa.BigInteger, nullable=False, server_default="0"),  # local event.seq pushed up to
        sa.Column("last_sync_ms", sa.BigInteger),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("hub_seq")
