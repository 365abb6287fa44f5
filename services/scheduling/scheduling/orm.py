"""Scheduling's tables: its copy of what it needs from profiles and matching (people's working
hours, programs' cadence, confirmed matches as mentorships), and what it owns: sessions, the busy
time of people's calendars, feed tokens and the reminders already sent. Every row carries its
tenant; every query filters on it."""

from sqlalchemy import JSON, BigInteger, Column, Date, Index, Integer, MetaData, String, Table, Text

from mentoring_shared.db.types import UtcDateTime
from mentoring_shared.messaging.tables import add_inbox_table, add_outbox_table, add_relay_tables
from mentoring_shared.people_replica import add_people_replica_table

metadata = MetaData()

# --- read model, from profiles' and matching's events ----------------------------------------

# The shared replica, and in the same row when a person can meet, in their own zone (from
# profiles' person snapshots).
people = add_people_replica_table(metadata, Column("working_hours", JSON, nullable=True))

programs = Table(
    "programs", metadata,
    Column("tenant_id", String(64), primary_key=True),
    Column("program_id", String(36), primary_key=True),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("meeting_cadence", String(20), nullable=False),
    Column("meeting_minutes", Integer, nullable=False),
    Column("term_months", Integer, nullable=False),
)

# A confirmed match, and the plan its meetings follow.
mentorships = Table(
    "mentorships", metadata,
    Column("mentorship_id", String(36), primary_key=True),  # the match id
    Column("tenant_id", String(64), nullable=False),
    Column("cohort_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("mentee_id", String(36), nullable=False),
    Column("mentor_id", String(36), nullable=False),
    Column("status", String(20), nullable=False),  # active | paused | ended
    Column("cadence", String(20), nullable=False),
    Column("meeting_minutes", Integer, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("version", Integer, nullable=False),
    Column("pause_note", Text, nullable=True),
    Column("resume_on", Date, nullable=True),
    Column("end_reason", String(40), nullable=True),
    # The version of the match this copies (matching's, not the plan's own `version`): an older
    # event about the match, e.g. a republished confirmation after the end, is ignored.
    Column("match_version", Integer, nullable=False, server_default="1"),
)
Index("ix_mentorships_mentee", mentorships.c.tenant_id, mentorships.c.mentee_id)
Index("ix_mentorships_mentor", mentorships.c.tenant_id, mentorships.c.mentor_id)
Index("ix_mentorships_cohort", mentorships.c.tenant_id, mentorships.c.cohort_id)

# --- scheduling's own data -------------------------------------------------------------------

sessions = Table(
    "sessions", metadata,
    Column("session_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("mentorship_id", String(36), nullable=False),
    Column("cohort_id", String(36), nullable=False),
    Column("program_id", String(36), nullable=False),
    Column("mentee_id", String(36), nullable=False),
    Column("mentor_id", String(36), nullable=False),
    Column("kind", String(20), nullable=False),  # kickoff | regular
    Column("series_id", String(36), nullable=True),
    Column("starts_at", UtcDateTime, nullable=False),
    Column("ends_at", UtcDateTime, nullable=False),
    Column("status", String(20), nullable=False),  # scheduled | completed | cancelled | no_show
    Column("version", Integer, nullable=False),
    Column("sequence", Integer, nullable=False),  # iCalendar SEQUENCE: every change calendars must see
    Column("confirmations", JSON, nullable=False),  # person ids who confirmed it took place
    Column("completion", String(20), nullable=True),
    Column("completed_at", UtcDateTime, nullable=True),
    Column("cancel_reason", String(40), nullable=True),
    Column("cancel_note", Text, nullable=True),
    Column("cancelled_by", String(36), nullable=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)
Index("ix_sessions_mentee_start", sessions.c.tenant_id, sessions.c.mentee_id, sessions.c.starts_at)
Index("ix_sessions_mentor_start", sessions.c.tenant_id, sessions.c.mentor_id, sessions.c.starts_at)
Index("ix_sessions_mentorship", sessions.c.tenant_id, sessions.c.mentorship_id, sessions.c.starts_at)
Index("ix_sessions_status_start", sessions.c.status, sessions.c.starts_at)  # reminders, auto-completion

# Busy time from a person's calendars (an uploaded or fetched ICS file, a CalDAV account), kept as
# UTC epoch-minute intervals over the horizon it was read for.
calendar_sources = Table(
    "calendar_sources", metadata,
    Column("source_id", String(36), primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("person_id", String(36), nullable=False),
    Column("kind", String(20), nullable=False),  # ics_upload | ics_url | caldav
    Column("url", Text, nullable=True),
    Column("username", String(200), nullable=True),
    Column("secret", Text, nullable=True),
    Column("busy", JSON, nullable=False),
    Column("horizon_start", BigInteger, nullable=False),
    Column("horizon_end", BigInteger, nullable=False),
    Column("refreshed_at", UtcDateTime, nullable=False),
    Column("last_error", Text, nullable=True),
    # caldav only: a calendar path on the same server that sessions are written back to (opt-in).
    Column("write_back_path", Text, nullable=True),
)
Index("ix_calendar_sources_person", calendar_sources.c.tenant_id, calendar_sources.c.person_id)

feed_tokens = Table(
    "feed_tokens", metadata,
    Column("token_hash", String(64), primary_key=True),  # sha-256 of the token: the token itself is shown once
    Column("token_id", String(36), nullable=False, unique=True),
    Column("tenant_id", String(64), nullable=False),
    Column("person_id", String(36), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
)
Index("ix_feed_tokens_person", feed_tokens.c.tenant_id, feed_tokens.c.person_id)

# One row per reminder emitted: its key makes a reminder exactly-once across restarts and replicas.
reminders_sent = Table(
    "reminders_sent", metadata,
    Column("session_id", String(36), primary_key=True),
    Column("person_id", String(36), primary_key=True),
    Column("lead_minutes", Integer, primary_key=True),
    Column("tenant_id", String(64), nullable=False),
    Column("sent_at", UtcDateTime, nullable=False),
)

outbox = add_outbox_table(metadata)
inbox = add_inbox_table(metadata)
broker_log_marks, outbox_republishes = add_relay_tables(metadata)
