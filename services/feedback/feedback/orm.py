"""Feedback's tables: its copy of what it needs from the other services (programs' survey and
privacy settings, pairs from matching, sessions from scheduling), and what it owns: feedback
requests and submissions, goals with check-ins and milestones, and each pair's health. Every row
carries its tenant; every query filters on it."""

from sqlalchemy import JSON, Boolean, Column, Date, Index, Integer, MetaData, String, Table, Text

from mentoring_shared.db.types import UtcDateTime
from mentoring_shared.messaging.tables import add_inbox_table, add_outbox_table, add_relay_tables
from mentoring_shared.people_replica import add_people_replica_table

metadata = MetaData()

people = add_people_replica_table(metadata)

# --- read model, from profiles', matching's and scheduling's events ---------------------------

programs = Table(
    "programs", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("program_id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("privacy_threshold", Integer, nullable=False),
    Column("pulse_first_after_days", Integer, nullable=False),
    Column("pulse_every_days", Integer, nullable=False),
)

pairs = Table(
    "pairs", metadata,
    Column("match_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("cohort_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("mentee_id", String(36), nullable=False),
    Column("mentor_id", String(36), nullable=False),
    Column("status", String(20), nullable=False),  # active | ended
    Column("confirmed_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime, nullable=True),
    Column("end_reason", String(40), nullable=True),
    Column("health", String(20), nullable=False),  # on_track | needs_check_in | at_risk
    Column("health_reasons", JSON, nullable=False),
    Column("health_evaluated_at", UtcDateTime, nullable=True),
    # The version of the match this copies: an older event about the match (a republished
    # confirmation after its end) is ignored.
    Column("match_version", Integer, nullable=False, server_default="1"),
    # Raised by every change of the verdict; pair-at-risk and pair-recovered carry it as `version`.
    Column("health_version", Integer, nullable=False, server_default="0"),
)
Index("ix_pairs_cohort", pairs.c.tenant_id, pairs.c.cohort_id)
Index("ix_pairs_program", pairs.c.tenant_id, pairs.c.program_id)
Index("ix_pairs_mentee", pairs.c.tenant_id, pairs.c.mentee_id)  # a person's export
Index("ix_pairs_mentor", pairs.c.tenant_id, pairs.c.mentor_id)

sessions = Table(
    "sessions", metadata,
    Column("session_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("match_id", String(36), nullable=False),
    Column("cohort_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("status", String(20), nullable=False),  # scheduled | completed | cancelled | no_show
    Column("version", Integer, nullable=False),
)
Index("ix_sessions_match", sessions.c.tenant_id, sessions.c.match_id)
Index("ix_sessions_cohort", sessions.c.tenant_id, sessions.c.cohort_id, sessions.c.status)

# --- feedback's own data ---------------------------------------------------------------------

feedback_requests = Table(
    "feedback_requests", metadata,
    Column("request_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("kind", String(20), nullable=False),  # session | pulse | exit
    Column("match_id", String(36), nullable=False),
    Column("session_id", String(36), nullable=True),
    Column("cohort_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("author_id", String(36), nullable=False),
    Column("subject_id", String(36), nullable=False),
    Column("direction", String(20), nullable=False),  # mentee_to_mentor | mentor_to_mentee
    Column("status", String(20), nullable=False),  # open | answered | closed
    Column("created_at", UtcDateTime, nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
)
Index("ix_feedback_requests_author", feedback_requests.c.tenant_id, feedback_requests.c.author_id,
      feedback_requests.c.status)
Index("ix_feedback_requests_match", feedback_requests.c.tenant_id, feedback_requests.c.match_id)
Index("ix_feedback_requests_cohort", feedback_requests.c.tenant_id, feedback_requests.c.cohort_id)

feedback = Table(
    "feedback", metadata,
    Column("feedback_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("request_id", String(36), nullable=False, unique=True),  # one submission per request
    Column("kind", String(20), nullable=False),
    Column("match_id", String(36), nullable=False),
    Column("session_id", String(36), nullable=True),
    Column("cohort_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("author_id", String(36), nullable=True),  # none once the author is erased
    Column("subject_id", String(36), nullable=True),
    Column("direction", String(20), nullable=False),
    Column("rating", Integer, nullable=True),  # 1..5
    Column("recommend", Integer, nullable=True),  # 0..10, for NPS (pulse and exit surveys)
    Column("text", Text, nullable=True),
    Column("goal_progress", JSON, nullable=False),
    Column("submitted_at", UtcDateTime, nullable=False),
    Column("editable_until", UtcDateTime, nullable=False),
    Column("version", Integer, nullable=False),
    Column("anonymized", Boolean, nullable=False),
    # A random stand-in for an erased author, linked to nobody: distinct respondents still count right.
    Column("anonymous_author", String(36), nullable=True),
)
Index("ix_feedback_cohort", feedback.c.tenant_id, feedback.c.cohort_id)
Index("ix_feedback_match", feedback.c.tenant_id, feedback.c.match_id)
Index("ix_feedback_author", feedback.c.tenant_id, feedback.c.author_id)  # a person's export

goals = Table(
    "goals", metadata,
    Column("goal_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("match_id", String(36), nullable=False),
    Column("cohort_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("title", String(300), nullable=False),
    Column("description", Text, nullable=True),
    Column("target_date", Date, nullable=False),
    Column("status", String(20), nullable=False),  # open | achieved | dropped
    Column("progress", Integer, nullable=False),  # 0..100
    Column("created_at", UtcDateTime, nullable=False),
    Column("achieved_at", UtcDateTime, nullable=True),
    Column("version", Integer, nullable=False),
)
Index("ix_goals_match", goals.c.tenant_id, goals.c.match_id)
Index("ix_goals_cohort", goals.c.tenant_id, goals.c.cohort_id)

milestones = Table(
    "milestones", metadata,
    Column("milestone_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("goal_id", String(36), nullable=False),
    Column("match_id", String(36), nullable=False),
    Column("title", String(300), nullable=False),
    Column("reached_at", UtcDateTime, nullable=True),
)
Index("ix_milestones_goal", milestones.c.tenant_id, milestones.c.goal_id)

check_ins = Table(
    "check_ins", metadata,
    Column("check_in_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("match_id", String(36), nullable=False),
    Column("due_on", Date, nullable=False),
    Column("label", String(100), nullable=False),  # e.g. "1 month", "3 months"
    Column("completed_at", UtcDateTime, nullable=True),
    Column("note", Text, nullable=True),
)
Index("ix_check_ins_match", check_ins.c.tenant_id, check_ins.c.match_id)

# A program's own thresholds for pair health, over the defaults (feedback.health.HealthRules).
health_rules = Table(
    "health_rules", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("program_id", String(36), primary_key=True),
    Column("overrides", JSON, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    Column("updated_by", String(320), nullable=False),
)

outbox = add_outbox_table(metadata)
inbox = add_inbox_table(metadata)
broker_log_marks, outbox_republishes = add_relay_tables(metadata)
