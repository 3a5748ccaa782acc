"""Full-text search over what people wrote on tickets: the contentless bigram index ``event_text`` (one document
per event with text, see store/search_index.py) and ``ticket_key``, each ticket's own integer key that the
index's rowids carry. Every event already in the store is indexed here.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"

BATCH = 20_000


def upgrade() -> None:
    from hotline_tui.domain.events import load_payload
    from hotline_tui.store import search_index, search_text, streams

    op.create_table(
        "ticket_key",
        sa.Column("tid", sa.Integer, primary_key=True),
        sa.Column("number", sa.String, nullable=False, unique=True),
        sa.Column("texts", sa.Integer, nullable=False, server_default="0"),
    )
    raw = op.get_bind().connection.driver_connection
    # every ticket its key, in the order they were registered, and the key in its row
    raw.execute("INSERT INTO ticket_key (number) SELECT number FROM ticket ORDER BY registered_ms, number")
    raw.execute("UPDATE ticket SET tid = (SELECT k.tid FROM ticket_key AS k WHERE k.number = ticket.number)")
    op.create_index("ix_ticket_tid", "ticket", ["tid"])
    raw.execute(search_text.fts_ddl(search_index.TABLE))
    last = 0
    while True:
        rows = raw.execute("SELECT seq, ticket, payload FROM event WHERE seq > ? ORDER BY seq LIMIT ?", (last, BATCH)).fetchall()
        if not rows:
            break
        docs = []
        for _seq, ticket, payload in rows:
            if not streams.is_ticket(ticket):
                continue
            try:
                text = search_index.event_text(load_payload(payload))
            except (ValueError, TypeError):  # a payload that is not a JSON object: nothing to index
                continue
            body = search_text.index_text(text) if text else ""
            if body:
                docs.append((ticket, body))
        search_index.add(raw, docs)
        last = rows[-1][0]
    search_index.optimize(raw)


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS event_text")
    op.drop_index("ix_ticket_tid", table_name="ticket")
    op.execute("UPDATE ticket SET tid = NULL")
    op.drop_table("ticket_key")
