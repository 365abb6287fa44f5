"""Matching's tables: its read model of profiles (built only from profiles' events), and what
matching itself owns: runs and their proposed pairs, matches, and mentees' requests. Every row
carries its tenant; every query filters on it."""

from sqlalchemy import JSON, Boolean, Column, Date, Index, Integer, MetaData, String, Table, Text, text

from mentoring_shared.db.types import UtcDateTime
from mentoring_shared.messaging.tables import add_inbox_table, add_outbox_table, add_relay_tables
from mentoring_shared.people_replica import add_people_replica_table

metadata = MetaData()

# --- read model, from profiles' events -------------------------------------------------------

# The shared replica, and in the same row what matching needs of a person beyond it: the newest
# snapshot's mentoring attributes (JSON: title, seniority, languages, skills, interests, goals,
# working hours, capacity) and the reporting line as columns, since a run loads the tenant's whole
# manager map.
PROFILE_COLUMNS = ("manager_employee_id", "department", "profile")
people = add_people_replica_table(
    metadata,
    Column("manager_employee_id", String(64), nullable=True),
    Column("department", String(200), nullable=True),
    Column("profile", JSON, nullable=False, server_default=text("'{}'")),
)

programs = Table(
    "programs", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("program_id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("type", String(20), nullable=False),
    Column("matching_weights", JSON, nullable=False),
    Column("meeting_minutes", Integer, nullable=False),
)

cohorts = Table(
    "cohorts", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("cohort_id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("name", String(200), nullable=False),
    Column("status", String(20), nullable=False),
    Column("starts_on", Date, nullable=True),
)

enrollments = Table(
    "enrollments", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("enrollment_id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("cohort_id", String(36), nullable=False),
    Column("person_id", String(36), nullable=False),
    Column("role", String(20), nullable=False),
    Column("status", String(20), nullable=False),
    Column("goals", JSON, nullable=False),
    Column("goals_text", Text, nullable=True),
    Column("preferences", JSON, nullable=False),
    Column("mentors_wanted", Integer, nullable=False),
)
Index("ix_enrollments_cohort", enrollments.c.tenant_id, enrollments.c.cohort_id)
Index("ix_enrollments_person", enrollments.c.tenant_id, enrollments.c.person_id)

# --- matching's own data ---------------------------------------------------------------------

matching_runs = Table(
    "matching_runs", metadata,
    Column("run_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("cohort_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("status", String(20), nullable=False),  # proposed | approved | superseded
    Column("fingerprint", String(64), nullable=False),  # of the inputs: approval refuses a stale proposal
    Column("inputs", JSON, nullable=False),
    Column("summary", JSON, nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("approved_by", String(200), nullable=True),
    Column("approved_at", UtcDateTime, nullable=True),
)
Index("ix_matching_runs_cohort", matching_runs.c.tenant_id, matching_runs.c.cohort_id, matching_runs.c.run_id)

run_pairs = Table(
    "run_pairs", metadata,
    Column("run_id", String(36), primary_key=True),
    Column("mentee_id", String(36), primary_key=True),
    Column("mentor_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("score", Integer, nullable=False),
    Column("pinned", Boolean, nullable=False),
    Column("factors", JSON, nullable=False),
)
Index("ix_run_pairs_mentee", run_pairs.c.tenant_id, run_pairs.c.mentee_id)  # a person's export
Index("ix_run_pairs_mentor", run_pairs.c.tenant_id, run_pairs.c.mentor_id)

matches = Table(
    "matches", metadata,
    Column("match_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("cohort_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("mentee_id", String(36), nullable=False),
    Column("mentor_id", String(36), nullable=False),
    Column("status", String(20), nullable=False),  # active | ended
    Column("origin", String(20), nullable=False),  # run | self_match | rematch
    Column("run_id", String(36), nullable=True),
    Column("score", Integer, nullable=False),
    Column("factors", JSON, nullable=False),
    Column("version", Integer, nullable=False),
    Column("confirmed_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("end_reason", String(40), nullable=True),
    Column("end_note", Text, nullable=True),
    # feedback's latest verdict on the pair, for the organizers who decide on a rematch
    Column("health", String(20), nullable=False, server_default="on_track"),
    Column("health_reasons", JSON, nullable=False, server_default="[]"),
    Column("health_evaluated_at", UtcDateTime, nullable=True),
    # the verdict's version in feedback (0: none with a version yet): an older verdict is ignored
    Column("health_version", Integer, nullable=False, server_default="0"),
)
Index("ix_matches_mentor", matches.c.tenant_id, matches.c.mentor_id, matches.c.status)
Index("ix_matches_mentee", matches.c.tenant_id, matches.c.mentee_id, matches.c.status)
Index("ix_matches_cohort", matches.c.tenant_id, matches.c.cohort_id, matches.c.match_id)

match_requests = Table(
    "match_requests", metadata,
    Column("request_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("cohort_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("mentee_id", String(36), nullable=False),
    Column("mentor_id", String(36), nullable=False),
    Column("origin", String(20), nullable=False),  # self_match | rematch
    Column("status", String(20), nullable=False),  # pending | accepted | declined | cancelled | expired
    Column("score", Integer, nullable=False),
    Column("factors", JSON, nullable=False),
    Column("replaces_match_id", String(36), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("decision_note", Text, nullable=True),
)
Index("ix_match_requests_mentor", match_requests.c.tenant_id, match_requests.c.mentor_id, match_requests.c.status)
Index("ix_match_requests_mentee", match_requests.c.tenant_id, match_requests.c.mentee_id, match_requests.c.status)

outbox = add_outbox_table(metadata)
inbox = add_inbox_table(metadata)
broker_log_marks, outbox_republishes = add_relay_tables(metadata)
