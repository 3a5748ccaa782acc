"""不解决找我 and the duty cards the cadres publish.

A cadre's commitment on a ticket (the ``commit`` event) is folded into the ticket's state; its promised day
(its last millisecond), when it was made, the cadre's unit and name are copied into the projection, and the
partial index ``ix_ticket_commitment`` holds the committed tickets only (a few of a store) with what the
workbench's ``commitment:`` filter and the monthly report's commitments table test, so both read that index
alone. Existing stores are backfilled from ``data``.

``duty_card`` keeps the newest card each unit's cadre published (stream ``~card/<unit>``); it is filled from
the log if a store already holds such events.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"

COMMITTED = "commit_due_ms IS NOT NULL"  # as store/tables.COMMITTED
COLUMNS = (  # name, type, backfill expression over ``data``
    ("commit_due_ms", sa.BigInteger, "json_extract(data, '$.commit_due_ms')"),
    ("commit_ms", sa.BigInteger, "json_extract(data, '$.commit_ms')"),
    ("commit_unit", sa.String, "json_extract(data, '$.commit_unit')"),
    ("commit_by", sa.String, "nullif(json_extract(data, '$.commit_by'), '')"),
)
INDEX = ["commit_due_ms", "closed_ms", "number", "state", "commit_unit", "commit_ms", "commit_by", "registered_ms",
         "due_key", "lead_unit"]


def upgrade() -> None:
    with op.batch_alter_table("ticket", recreate="never") as batch:
        for name, kind, _ in COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    sets = ", ".join(f"{name} = {expr}" for name, _, expr in COLUMNS)
    op.execute(f"UPDATE ticket SET {sets} WHERE instr(data, '\"commit_due_ms\"') > 0")
    op.create_index("ix_ticket_commitment", "ticket", INDEX, sqlite_where=sa.text(COMMITTED))
    op.create_table(
        "duty_card",
        sa.Column("unit", sa.String, primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("fields", sa.String, nullable=False),
        sa.Column("published_by", sa.String, nullable=False),
        sa.Column("published_ms", sa.BigInteger, nullable=False),
        sa.Column("desk", sa.String, nullable=False),
        sa.Column("hlc", sa.BigInteger, nullable=False),
        sa.Column("event_id", sa.String, nullable=False),
    )
    from hotline_tui.store import duty_cards

    duty_cards.project_from_log(op.get_bind())


def downgrade() -> None:
    op.drop_table("duty_card")
    op.drop_index("ix_ticket_commitment", table_name="ticket")
    # ALTER TABLE … DROP COLUMN, not a copy of the table: a copy would lose the expression index of 0005
    with op.batch_alter_table("ticket", recreate="never") as batch:
        for name, *_ in COLUMNS:
            batch.drop_column(name)
