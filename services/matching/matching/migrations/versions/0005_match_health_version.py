"""matching: the version of feedback's health verdict on each match

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
    # 0: verdicts recorded so far came without a version (they are ordered by evaluation time).
    op.add_column("matches", sa.Column("health_version", sa.Integer, nullable=False, server_default="0"))


def downgrade() -> None:
    op.drop_column("matches", "health_version")
