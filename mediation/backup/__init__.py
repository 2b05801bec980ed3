"""Backups of the configured database (`flask backup ...`): SQLite through its online backup
API, PostgreSQL through pg_dump/pg_restore. The entry points are in service.py."""
