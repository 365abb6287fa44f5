"""matching: a run's proposed pairs are found by person (a person's export), not only by run

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_run_pairs_mentee", "run_pairs", ["tenant_id", "mentee_id"])
    op.create_index("ix_run_pairs_mentor", "run_pairs", ["tenant_id", "mentor_id"])


def downgrade() -> None:
    op.drop_index("ix_run_pairs_mentor", table_name="run_pairs")
    op.drop_index("ix_run_pairs_mentee", table_name="run_pairs")
