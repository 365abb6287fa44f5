"""scheduling: each person's working hours move into the people replica's row (person_schedules
goes; its time zone and status were the replica's): one row to write per person snapshot, not two

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa

from mentoring_shared.people_replica import move_into_replica_rows_v1, move_out_of_replica_rows_v1

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    move_into_replica_rows_v1("person_schedules", [sa.Column("working_hours", sa.JSON, nullable=True)])


def downgrade() -> None:
    move_out_of_replica_rows_v1("person_schedules", [
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("working_hours", sa.JSON, nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
    ], ["working_hours"])
