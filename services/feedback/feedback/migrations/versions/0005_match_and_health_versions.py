"""feedback: each pair keeps the version of the match it copies, and a version of its health verdict

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("pairs", sa.Column("match_version", sa.Integer, nullable=False, server_default="1"))
    op.add_column("pairs", sa.Column("health_version", sa.Integer, nullable=False, server_default="0"))
    # Matches so far: confirmed at version 1, ended at version 2.
    op.execute("UPDATE pairs SET match_version = 2 WHERE status = 'ended'")


def downgrade() -> None:
    op.drop_column("pairs", "health_version")
    op.drop_column("pairs", "match_version")
