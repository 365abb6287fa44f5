"""read model of profiles; matching runs, proposed pairs, matches and requests

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
        "person_profiles",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("employee_id", sa.String(64), nullable=True),
        sa.Column("manager_employee_id", sa.String(64), nullable=True),
        sa.Column("department", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("profile", sa.JSON, nullable=False),
    )
    op.create_table(
        "programs",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("program_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("matching_weights", sa.JSON, nullable=False),
        sa.Column("meeting_minutes", sa.Integer, nullable=False),
    )
    op.create_table(
        "cohorts",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("cohort_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=True),
    )
    op.create_table(
        "enrollments",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("enrollment_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("goals", sa.JSON, nullable=False),
        sa.Column("goals_text", sa.Text, nullable=True),
        sa.Column("preferences", sa.JSON, nullable=False),
        sa.Column("mentors_wanted", sa.Integer, nullable=False),
    )
    op.create_index("ix_enrollments_cohort", "enrollments", ["tenant_id", "cohort_id"])
    op.create_index("ix_enrollments_person", "enrollments", ["tenant_id", "person_id"])
    op.create_table(
        "matching_runs",
        sa.Column("run_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("inputs", sa.JSON, nullable=False),
        sa.Column("summary", sa.JSON, nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_by", sa.String(200), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_matching_runs_cohort", "matching_runs", ["tenant_id", "cohort_id", "run_id"])
    op.create_table(
        "run_pairs",
        sa.Column("run_id", sa.String(36), primary_key=True),
        sa.Column("mentee_id", sa.String(36), primary_key=True),
        sa.Column("mentor_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("pinned", sa.Boolean, nullable=False),
        sa.Column("factors", sa.JSON, nullable=False),
    )
    op.create_table(
        "matches",
        sa.Column("match_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("mentee_id", sa.String(36), nullable=False),
        sa.Column("mentor_id", sa.String(36), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("run_id", sa.String(36), nullable=True),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("factors", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sa.String(40), nullable=True),
        sa.Column("end_note", sa.Text, nullable=True),
    )
    op.create_index("ix_matches_mentor", "matches", ["tenant_id", "mentor_id", "status"])
    op.create_index("ix_matches_mentee", "matches", ["tenant_id", "mentee_id", "status"])
    op.create_index("ix_matches_cohort", "matches", ["tenant_id", "cohort_id", "match_id"])
    op.create_table(
        "match_requests",
        sa.Column("request_id", sa.String(36), primary_key=True),
        sa.Column("tenant_id", sa.String(64), nullable=False),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("mentee_id", sa.String(36), nullable=False),
        sa.Column("mentor_id", sa.String(36), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("score", sa.Integer, nullable=False),
        sa.Column("factors", sa.JSON, nullable=False),
        sa.Column("replaces_match_id", sa.String(36), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text, nullable=True),
    )
    op.create_index("ix_match_requests_mentor", "match_requests", ["tenant_id", "mentor_id", "status"])
    op.create_index("ix_match_requests_mentee", "match_requests", ["tenant_id", "mentee_id", "status"])


def downgrade() -> None:
    for table in ("match_requests", "matches", "run_pairs", "matching_runs", "enrollments", "cohorts", "programs",
                  "person_profiles"):
        op.drop_table(table)
