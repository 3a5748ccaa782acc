"""The caller's privacy: ``ticket.caller_key``, the keyed hash of the caller's number, and its index, by
which intake finds a caller's earlier requests. ``caller_phone`` now holds the number's mask (138****1234)
and is looked up by no one, so its index goes. Numbers a store holds in clear from before are sealed by
``hotline store seal`` (it needs the city's key, which a migration does not have).

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    with op.batch_alter_table("ticket", recreate="never") as batch:  # ALTER TABLE ADD COLUMN: no copy of the table
        batch.add_column(sa.Column("caller_key", sa.String, nullable=False, server_default=""))
    # A store taken back below 0009 and up again holds sealed callers (masked numbers): their keys come back
    # from the folded state. Looked for through ix_ticket_caller (a walk of that index, not of the table); a
    # store from before sealing has none and is left to `hotline store seal`.
    conn = op.get_bind()
    sealed = conn.exec_driver_sql("SELECT 1 FROM ticket INDEXED BY ix_ticket_caller WHERE caller_phone LIKE '%*%' LIMIT 1").first()
    if sealed:
        op.execute("UPDATE ticket SET caller_key = coalesce(json_extract(data, '$.caller_key'), '') WHERE caller_phone LIKE '%*%'")
    op.drop_index("ix_ticket_caller", table_name="ticket")
    op.create_index("ix_ticket_caller_key", "ticket", ["caller_key", "registered_ms"])


def downgrade() -> None:
    op.drop_index("ix_ticket_caller_key", table_name="ticket")
    op.create_index("ix_ticket_caller", "ticket", ["caller_phone", "registered_ms"])
    # plain ALTER TABLE (SQLite 3.35+): a batch would copy the table, and cannot reflect ix_ticket_unit_due
    op.execute("ALTER TABLE ticket DROP COLUMN caller_key")
