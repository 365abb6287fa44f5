"""feedback: read model (programs, pairs, sessions), feedback requests and submissions, goals, milestones,
check-ins

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
        "check_ins",
        sa.Column("check_in_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("match_id", sa.String(36), nullable=False),
        sa.Column("due_on", sa.Date, nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text, nullable=True),
    )
    op.create_index("ix_check_ins_match", "check_ins", ["tenant_id", "match_id"])
    op.create_table(
        "feedback",
        sa.Column("feedback_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("request_id", sa.String(36), nullable=False, unique=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("match_id", sa.String(36), nullable=False),
        sa.Column("session_id", sa.String(36), nullable=True),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("author_id", sa.String(36), nullable=True),
        sa.Column("subject_id", sa.String(36), nullable=True),
        sa.Column("direction", sa.String(20), nullable=False),
        sa.Column("rating", sa.Integer, nullable=True),
        sa.Column("recommend", sa.Integer, nullable=True),
        sa.Column("text", sa.Text, nullable=True),
        sa.Column("goal_progress", sa.JSON, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("editable_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("anonymized", sa.Boolean, nullable=False),
    )
    op.create_index("ix_feedback_cohort", "feedback", ["tenant_id", "cohort_id"])
    op.create_index("ix_feedback_match", "feedback", ["tenant_id", "match_id"])
    op.create_table(
        "feedback_requests",
        sa.Column("request_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("match_id", sa.String(36), nullable=False),
        sa.Column("session_id", sa.String(36), nullable=True),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("author_id", sa.String(36), nullable=False),
        sa.Column("subject_id", sa.String(36), nullable=False),
        sa.Column("direction", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_feedback_requests_author", "feedback_requests", ["tenant_id", "author_id", "status"])
    op.create_index("ix_feedback_requests_cohort", "feedback_requests", ["tenant_id", "cohort_id"])
    op.create_index("ix_feedback_requests_match", "feedback_requests", ["tenant_id", "match_id"])
    op.create_table(
        "goals",
        sa.Column("goal_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("match_id", sa.String(36), nullable=False),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("target_date", sa.Date, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("progress", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("achieved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_goals_cohort", "goals", ["tenant_id", "cohort_id"])
    op.create_index("ix_goals_match", "goals", ["tenant_id", "match_id"])
    op.create_table(
        "milestones",
        sa.Column("milestone_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("goal_id", sa.String(36), nullable=False),
        sa.Column("match_id", sa.String(36), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("reached_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_milestones_goal", "milestones", ["tenant_id", "goal_id"])
    op.create_table(
        "pairs",
        sa.Column("match_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("mentee_id", sa.String(36), nullable=False),
        sa.Column("mentor_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(40), nullable=True),
        sa.Column("health", sa.String(20), nullable=False),
        sa.Column("health_reasons", sa.JSON, nullable=False),
        sa.Column("health_evaluated_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_pairs_cohort", "pairs", ["tenant_id", "cohort_id"])
    op.create_index("ix_pairs_program", "pairs", ["tenant_id", "program_id"])
    op.create_table(
        "programs",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("program_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("privacy_threshold", sa.Integer, nullable=False),
        sa.Column("pulse_first_after_days", sa.Integer, nullable=False),
        sa.Column("pulse_every_days", sa.Integer, nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("session_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("match_id", sa.String(36), nullable=False),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("minutes", sa.Integer, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
    )
    op.create_index("ix_sessions_cohort", "sessions", ["tenant_id", "cohort_id", "status"])
    op.create_index("ix_sessions_match", "sessions", ["tenant_id", "match_id"])


def downgrade() -> None:
    for table in ("sessions", "programs", "pairs", "milestones", "goals", "feedback_requests", "feedback", "check_ins"):
        op.drop_table(table)
