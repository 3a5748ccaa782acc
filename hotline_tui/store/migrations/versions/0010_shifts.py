"""Shadow shifts (接线体悟) and the operator's live draft.

``shift``: one row per cadre's shift, projected from the ``~shift/<id>`` stream (store/shifts.py): who, their
unit, the desk and operator they sit with, when it started and ended (NULL while open). ``live_draft``: what an
operator is typing on the intake screen, as a cadre beside them may see it (masked number, category, place, a
summary of the description); local to the store, never synced, cleared on save or cancel.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    op.create_table(
        "shift",
        sa.Column("id", sa.String, primary_key=True),
        sa.Column("cadre", sa.String, nullable=False),
        sa.Column("unit", sa.String, nullable=False, server_default=""),
        sa.Column("desk", sa.String, nullable=False),
        sa.Column("operator", sa.String, nullable=False),
        sa.Column("started_ms", sa.BigInteger, nullable=False),
        sa.Column("ended_ms", sa.BigInteger, nullable=True),
    )
    op.create_index("ix_shift_cadre", "shift", ["cadre", "started_ms"])
    op.create_index("ix_shift_started", "shift", ["started_ms", "id"])
    op.create_index("ix_shift_sitting", "shift", ["desk", "operator", "started_ms"])
    op.create_table(
        "live_draft",
        sa.Column("desk", sa.String, primary_key=True),
        sa.Column("operator", sa.String, primary_key=True),
        sa.Column("updated_ms", sa.BigInteger, nullable=False),
        sa.Column("phone", sa.String, nullable=False, server_default=""),  # masked, never the full number
        sa.Column("nature", sa.String, nullable=False, server_default=""),
        sa.Column("category", sa.String, nullable=False, server_default=""),
        sa.Column("place", sa.String, nullable=False, server_default=""),
        sa.Column("summary", sa.String, nullable=False, server_default=""),
    )


def downgrade() -> None:
    op.drop_table("live_draft")
    op.drop_index("ix_shift_sitting", table_name="shift")
    op.drop_index("ix_shift_started", table_name="shift")
    op.drop_index("ix_shift_cadre", table_name="shift")
    op.drop_table("shift")
