"""Sync on demand with a hub (a SQLite file or PostgreSQL): see ``engine`` for the protocol and ``hub``
for what a hub promises. Nothing here is imported at start-up; psycopg only when a PostgreSQL hub is used."""
