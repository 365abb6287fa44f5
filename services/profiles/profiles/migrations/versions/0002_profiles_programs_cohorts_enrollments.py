"""full person profiles, programs, cohorts, enrollments

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

from mentoring_shared.db.types import UtcDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

EMPTY_LIST = sa.text("'[]'")


def upgrade() -> None:
    with op.batch_alter_table("people") as people:
        people.add_column(sa.Column("title", sa.String(200), nullable=True))
        people.add_column(sa.Column("department", sa.String(200), nullable=True))
        people.add_column(sa.Column("manager_employee_id", sa.String(64), nullable=True))
        people.add_column(sa.Column("location", sa.String(200), nullable=True))
        people.add_column(sa.Column("languages", sa.JSON, nullable=False, server_default=EMPTY_LIST))
        people.add_column(sa.Column("seniority_band", sa.Integer, nullable=True))
        people.add_column(sa.Column("skills", sa.JSON, nullable=False, server_default=EMPTY_LIST))
        people.add_column(sa.Column("interests", sa.JSON, nullable=False, server_default=EMPTY_LIST))
        people.add_column(sa.Column("goals", sa.JSON, nullable=False, server_default=EMPTY_LIST))
        people.add_column(sa.Column("goals_text", sa.Text, nullable=True))
        people.add_column(sa.Column("roles_offered", sa.JSON, nullable=False, server_default=EMPTY_LIST))
        people.add_column(sa.Column("roles_wanted", sa.JSON, nullable=False, server_default=EMPTY_LIST))
        people.add_column(sa.Column("working_hours", sa.JSON, nullable=True))
        people.add_column(sa.Column("mentor_capacity", sa.Integer, nullable=False, server_default=sa.text("0")))
    op.create_index("ix_people_tenant_department", "people", ["tenant_id", "department"])
    op.create_index("ix_people_tenant_status", "people", ["tenant_id", "status"])
    op.create_index("ix_people_tenant_manager", "people", ["tenant_id", "manager_employee_id"])

    op.create_table(
        "person_skills",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("skill", sa.String(100), primary_key=True),
        sa.Column("person_id", sa.String(36), primary_key=True),
    )
    op.create_table(
        "person_roles_offered",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(20), primary_key=True),
        sa.Column("person_id", sa.String(36), primary_key=True),
    )
    op.create_table(
        "programs",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("description", sa.Text, nullable=True),
        sa.Column("matching_weights", sa.JSON, nullable=False),
        sa.Column("meeting_cadence", sa.String(20), nullable=False),
        sa.Column("meeting_minutes", sa.Integer, nullable=False),
        sa.Column("term_months", sa.Integer, nullable=False),
        sa.Column("pulse_first_after_days", sa.Integer, nullable=False),
        sa.Column("pulse_every_days", sa.Integer, nullable=False),
        sa.Column("privacy_threshold", sa.Integer, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "cohorts",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("starts_on", sa.Date, nullable=True),
        sa.Column("ends_on", sa.Date, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_cohorts_tenant_program", "cohorts", ["tenant_id", "program_id"])
    op.create_table(
        "enrollments",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("cohort_id", sa.String(36), nullable=False),
        sa.Column("program_id", sa.String(36), nullable=False),
        sa.Column("person_id", sa.String(36), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("goals", sa.JSON, nullable=False),
        sa.Column("goals_text", sa.Text, nullable=True),
        sa.Column("preferences", sa.JSON, nullable=False),
        sa.Column("mentors_wanted", sa.Integer, nullable=False),
        sa.Column("withdrawal_reason", sa.Text, nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_index("ix_enrollments_tenant_cohort", "enrollments", ["tenant_id", "cohort_id", "id"])
    op.create_index("ix_enrollments_tenant_person", "enrollments", ["tenant_id", "person_id"])
    op.create_index("ux_enrollments_live", "enrollments", ["tenant_id", "cohort_id", "person_id", "role"],
                    unique=True, postgresql_where=sa.text("status = 'enrolled'"),
                    sqlite_where=sa.text("status = 'enrolled'"))


def downgrade() -> None:
    op.drop_table("enrollments")
    op.drop_table("cohorts")
    op.drop_table("programs")
    op.drop_table("person_roles_offered")
    op.drop_table("person_skills")
    op.drop_index("ix_people_tenant_manager", "people")
    op.drop_index("ix_people_tenant_status", "people")
    op.drop_index("ix_people_tenant_department", "people")
    with op.batch_alter_table("people") as people:
        for column in ("mentor_capacity", "working_hours", "roles_wanted", "roles_offered", "goals_text", "goals",
                       "interests", "skills", "seniority_band", "languages", "location", "manager_employee_id",
                       "department", "title"):
            people.drop_column(column)
