"""Profiles' tables. Every row carries its tenant; every query filters on it. Profile details are
JSON; the facets people are searched by (skills, offered roles) are JSON lists in the person's row,
under GIN indexes on PostgreSQL."""

from sqlalchemy import JSON, Column, Date, Index, Integer, MetaData, String, Table, Text, text

from mentoring_shared.db.types import UtcDateTime, indexable_json
from mentoring_shared.messaging.tables import add_inbox_table, add_outbox_table, add_relay_tables

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
    Column("title", String(200), nullable=True),
    Column("department", String(200), nullable=True),
    Column("manager_employee_id", String(64), nullable=True),
    Column("location", String(200), nullable=True),
    Column("languages", JSON, nullable=False, server_default=text("'[]'")),
    Column("seniority_band", Integer, nullable=True),
    Column("skills", JSON, nullable=False, server_default=text("'[]'")),
    Column("interests", JSON, nullable=False, server_default=text("'[]'")),
    Column("goals", JSON, nullable=False, server_default=text("'[]'")),
    Column("goals_text", Text, nullable=True),
    Column("roles_offered", indexable_json(), nullable=False, server_default=text("'[]'")),
    Column("roles_wanted", JSON, nullable=False, server_default=text("'[]'")),
    Column("working_hours", JSON, nullable=True),
    Column("mentor_capacity", Integer, nullable=False, server_default=text("0")),
    # The skills' names lowercased, without repeats: what a search by skill looks for. Kept in the
    # row (a table of one row per skill cost an import as much as the person's own row).
    Column("skill_keys", indexable_json(), nullable=False, server_default=text("'[]'")),
)
Index("ux_people_tenant_employee", people.c.tenant_id, people.c.employee_id, unique=True)
Index("ux_people_tenant_email", people.c.tenant_id, people.c.email, unique=True)
Index("ix_people_tenant_department", people.c.tenant_id, people.c.department)
Index("ix_people_tenant_status", people.c.tenant_id, people.c.status)
Index("ix_people_tenant_manager", people.c.tenant_id, people.c.manager_employee_id)
# jsonb_path_ops: the smaller GIN index, for containment (`@>`), the only question searches ask.
Index("ix_people_skill_keys", people.c.skill_keys, postgresql_using="gin",
      postgresql_ops={"skill_keys": "jsonb_path_ops"}).ddl_if(dialect="postgresql")
Index("ix_people_roles_offered", people.c.roles_offered, postgresql_using="gin",
      postgresql_ops={"roles_offered": "jsonb_path_ops"}).ddl_if(dialect="postgresql")

programs = Table(
    "programs", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("type", String(20), nullable=False),
    Column("description", Text, nullable=True),
    Column("matching_weights", JSON, nullable=False),
    Column("meeting_cadence", String(20), nullable=False),
    Column("meeting_minutes", Integer, nullable=False),
    Column("term_months", Integer, nullable=False),
    Column("pulse_first_after_days", Integer, nullable=False),
    Column("pulse_every_days", Integer, nullable=False),
    Column("privacy_threshold", Integer, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

cohorts = Table(
    "cohorts", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("program_id", String(36), nullable=False),
    Column("name", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("starts_on", Date, nullable=True),
    Column("ends_on", Date, nullable=True),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
Index("ix_cohorts_tenant_program", cohorts.c.tenant_id, cohorts.c.program_id)

enrollments = Table(
    "enrollments", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("cohort_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("person_id", String(36), nullable=False),
    Column("role", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("goals", JSON, nullable=False),
    Column("goals_text", Text, nullable=True),
    Column("preferences", JSON, nullable=False),
    Column("mentors_wanted", Integer, nullable=False),
    Column("withdrawal_reason", Text, nullable=True),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
Index("ix_enrollments_tenant_cohort", enrollments.c.tenant_id, enrollments.c.cohort_id, enrollments.c.id)
Index("ix_enrollments_tenant_person", enrollments.c.tenant_id, enrollments.c.person_id)
# One live enrollment per person and role in a cohort; withdrawn ones stay as history.
Index("ux_enrollments_live", enrollments.c.tenant_id, enrollments.c.cohort_id, enrollments.c.person_id,
      enrollments.c.role, unique=True,
      postgresql_where=enrollments.c.status == "enrolled", sqlite_where=enrollments.c.status == "enrolled")

# SCIM 2.0 provisioning: per-tenant bearer tokens (only their SHA-256 is kept), and groups with members.
scim_tokens = Table(
    "scim_tokens", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("token_hash", String(64), nullable=False),
    Column("label", String(200), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)
Index("ux_scim_tokens_hash", scim_tokens.c.token_hash, unique=True)

scim_groups = Table(
    "scim_groups", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("id", String(36), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("external_id", String(200), nullable=True),
    Column("version", Integer, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
Index("ux_scim_groups_tenant_name", scim_groups.c.tenant_id, scim_groups.c.display_name, unique=True)

scim_group_members = Table(
    "scim_group_members", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("group_id", String(36), primary_key=True),
    Column("person_id", String(36), primary_key=True),
)
Index("ix_scim_group_members_person", scim_group_members.c.tenant_id, scim_group_members.c.person_id)

# What an identity provider says about a person that the person itself does not hold: its userName
# (any string, unique per tenant without regard to case), externalId, the name parts, displayName and
# emails as sent, and whether it DELETEd the user (the person stays, terminated; SCIM answers 404).
scim_users = Table(
    "scim_users", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("person_id", String(36), primary_key=True),
    Column("user_name", String(320), nullable=False),
    Column("user_name_key", String(320), nullable=False),  # lowercased: uniqueness and filters
    Column("external_id", String(200), nullable=True),
    Column("attributes", JSON, nullable=False),
    Column("deleted_at", UtcDateTime, nullable=True),
    # Counts the changes that left the person as it was (a displayName, an externalId): the User's
    # version (its ETag) is the person's version plus this, so it moves with every change.
    Column("revision", Integer, nullable=False),
)
Index("ux_scim_users_tenant_user_name", scim_users.c.tenant_id, scim_users.c.user_name_key, unique=True)
Index("ix_scim_users_tenant_external_id", scim_users.c.tenant_id, scim_users.c.external_id)

# How far an HR import has come, written outside the import's own transaction (which commits all of
# it or nothing), so the client that sent it can show profiles' side of a long import.
hr_import_progress = Table(
    "hr_import_progress", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("progress_id", String(64), primary_key=True),  # chosen by the client, sent with the file
    Column("phase", String(20), nullable=False),
    Column("done", Integer, nullable=False),
    Column("total", Integer, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

outbox = add_outbox_table(metadata)
inbox = add_inbox_table(metadata)
broker_log_marks, outbox_republishes = add_relay_tables(metadata)
