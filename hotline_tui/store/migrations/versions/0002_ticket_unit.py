"""Which units each ticket is with (lead and assisting), backfilled from the projection.

Revision ID: 0002
Revises: 0001
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "ticket_unit",
        sa.Column("number", sa.String, primary_key=True),
        sa.Column("unit", sa.String, primary_key=True),
        sa.Column("role", sa.String, nullable=False),
    )
    op.create_index("ix_ticket_unit_unit", "ticket_unit", ["unit", "number"])
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT number, data FROM ticket")).fetchall()
    links = []
    for number, data in rows:
        state = json.loads(data)
        if state.get("lead_unit"):
            links.append({"number": number, "unit": state["lead_unit"], "role": "lead"})
        for unit in state.get("assist_units", []):
            if unit != state.get("lead_unit"):
                links.append({"number": number, "unit": unit, "role": "assist"})
    if links:
        conn.execute(sa.text("INSERT OR IGNORE INTO ticket_unit(number, unit, role) VALUES (:number, :unit, :role)"), links)


def downgrade() -> None:
    op.drop_table("ticket_unit")
