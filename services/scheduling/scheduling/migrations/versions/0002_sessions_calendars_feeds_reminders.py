"""scheduling: read model (working hours, programs, mentorships), sessions, calendar sources, feed tokens,
reminders sent

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_sources",
        sa.Column("source_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("url", sa.Text, nullable=True),
        sa.Column("username", sa.String(200), nullable=True),
        sa.Column("secret", sa.Text, nullable=True),
        sa.Column("busy", sa.JSON, nullable=False),
        sa.Column("horizon_start", sa.BigInteger, nullable=False),
        sa.Column("horizon_end", sa.BigInteger, nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("write_back_path", sa.Text, nullable=True),
    )
    op.create_index("ix_calendar_sources_person", "calendar_sources", ["tenant_id", "person_id"])
    op.create_table(
        "feed_tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("token_id", sa.String(36), nullable=False, unique=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "mentorships",
        sa.Column("mentorship_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("mentee_id", sa.String(36), nullable=False),
        sa.Column("mentor_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("cadence", sa.String(20), nullable=False),
        sa.Column("meeting_minutes", sa.Integer, nullable=False),
        sa.Column("starts_on", sa.Date, nullable=False),
        sa.Column("ends_on", sa.Date, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("pause_note", sa.Text, nullable=True),
        sa.Column("resume_on", sa.Date, nullable=True),
        sa.Column("end_reason", sa.String(40), nullable=True),
    )
    op.create_index("ix_mentorships_cohort", "mentorships", ["tenant_id", "cohort_id"])
    op.create_index("ix_mentorships_mentee", "mentorships", ["tenant_id", "mentee_id"])
    op.create_index("ix_mentorships_mentor", "mentorships", ["tenant_id", "mentor_id"])
    op.create_table(
        "person_schedules",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("working_hours", sa.JSON, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_table(
        "programs",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("program_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("meeting_cadence", sa.String(20), nullable=False),
        sa.Column("meeting_minutes", sa.Integer, nullable=False),
        sa.Column("term_months", sa.Integer, nullable=False),
    )
    op.create_table(
        "reminders_sent",
        sa.Column("session_id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("lead_minutes", sa.Integer, primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("session_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("mentorship_id", sa.String(36), nullable=False),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("mentee_id", sa.String(36), nullable=False),
        sa.Column("mentor_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("series_id", sa.String(36), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("confirmations", sa.JSON, nullable=False),
        sa.Column("completion", sa.String(20), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.String(40), nullable=True),
        sa.Column("cancel_note", sa.Text, nullable=True),
        sa.Column("cancelled_by", sa.String(36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sessions_mentee_start", "sessions", ["tenant_id", "mentee_id", "starts_at"])
    op.create_index("ix_sessions_mentor_start", "sessions", ["tenant_id", "mentor_id", "starts_at"])
    op.create_index("ix_sessions_mentorship", "sessions", ["tenant_id", "mentorship_id", "starts_at"])
    op.create_index("ix_sessions_status_start", "sessions", ["status", "starts_at"])


def downgrade() -> None:
    for table in ("sessions", "reminders_sent", "programs", "person_schedules", "mentorships", "feed_tokens",
                  "calendar_sources"):
        op.drop_table(table)
