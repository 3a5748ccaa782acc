"""The desk's local store: an append-only event log and the ticket projection, in SQLite (WAL)."""
