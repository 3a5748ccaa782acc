"""A ticket's identity beyond its display number, and this store's own desk id.

* ``meta`` ``desk_id``: this store's desk id (a random UUID made here, once), which the hub's enrollment
  knows the desk by.
* ``event.origin``: the number a moved event was recorded under (NULL for an event never moved); a desk
  pushes that number, so every desk applies the collision rule to the events as written
  (store/collisions.py).
* ``ix_event_register``: the registrations by number, partial (``kind = 'register'``), covering: one walk of it finds
  a number registered twice.
* Stores that already hold such a collision (two desks with one code, synced before enrollment) are
  repaired: both requests kept, the later registration renumbered ``-R1`` with a ``renumber`` event on both
  timelines. A store without one only pays for the index and the one query; nothing else is rewritten.

Revision ID: 0012
Revises: 0011
"""

import uuid

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    from hotline_tui.store import collisions

    op.execute(sa.text("INSERT OR IGNORE INTO meta (key, value) VALUES ('desk_id', :v)").bindparams(v=str(uuid.uuid4())))
    op.add_column("event", sa.Column("origin", sa.String, nullable=True))
    op.create_index("ix_event_register", "event", ["ticket", "kind"], sqlite_where=sa.text("kind = 'register'"))
    collisions.repair_store(op.get_bind())


def downgrade() -> None:
    op.drop_index("ix_event_register", table_name="event")
    with op.batch_alter_table("event") as batch:
        batch.drop_column("origin")
    op.execute("DELETE FROM meta WHERE key = 'desk_id'")
