"""feedback: a person's pairs and the answers they gave are found by person (their export)

Revision ID: 0006
Revises: 0005
"""
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_pairs_mentee", "pairs", ["tenant_id", "mentee_id"])
    op.create_index("ix_pairs_mentor", "pairs", ["tenant_id", "mentor_id"])
    op.create_index("ix_feedback_author", "feedback", ["tenant_id", "author_id"])


def downgrade() -> None:
    op.drop_index("ix_feedback_author", table_name="feedback")
    op.drop_index("ix_pairs_mentor", table_name="pairs")
    op.drop_index("ix_pairs_mentee", table_name="pairs")
