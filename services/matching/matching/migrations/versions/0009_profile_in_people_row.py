"""matching: each person's mentoring profile moves into the people replica's row (person_profiles
goes): one row to write per person snapshot, not two

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa

from mentoring_shared.people_replica import move_into_replica_rows_v1, move_out_of_replica_rows_v1

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

OWN_COLUMNS = ("manager_employee_id", "department", "profile")


def upgrade() -> None:
    move_into_replica_rows_v1("person_profiles", [
        sa.Column("manager_employee_id", sa.String(64), nullable=True),
        sa.Column("department", sa.String(200), nullable=True),
        sa.Column("profile", sa.JSON, nullable=False, server_default=sa.text("'{}'")),
    ])


def downgrade() -> None:
    move_out_of_replica_rows_v1("person_profiles", [
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("employee_id", sa.String(64), nullable=True),
        sa.Column("manager_employee_id", sa.String(64), nullable=True),
        sa.Column("department", sa.String(200), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("profile", sa.JSON, nullable=False),
    ], list(OWN_COLUMNS))
