"""Profiles' tables. Every row carries its tenant; every query filters on it."""

from sqlalchemy import Column, Index, Integer, MetaData, String, Table

from mentoring_shared.db.tables import add_inbox_table, add_outbox_table
from mentoring_shared.db.types import UtcDateTime

metadata = MetaData()

people = Table(
    "people", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("employee_id", String(64), nullable=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False),
    Column("time_zone", String(64), nullable=False),
    Column("status", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
Index("ux_people_tenant_employee", people.c.tenant_id, people.c.employee_id, unique=True)
Index("ux_people_tenant_email", people.c.tenant_id, people.c.email, unique=True)

outbox = add_outbox_table(metadata)
inbox = add_inbox_table(metadata)
