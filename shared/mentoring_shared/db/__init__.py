"""Persistence parts shared by every service: engine, unit of work, outbox, inbox, migrations."""
