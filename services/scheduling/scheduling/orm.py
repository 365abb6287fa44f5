"""Scheduling' tables: the people whose meetings it plans, and the outbox and inbox."""

from sqlalchemy import MetaData

from mentoring_shared.db.tables import add_inbox_table, add_outbox_table
from mentoring_shared.people_replica import add_people_replica_table

metadata = MetaData()

people = add_people_replica_table(metadata)
outbox = add_outbox_table(metadata)
inbox = add_inbox_table(metadata)
