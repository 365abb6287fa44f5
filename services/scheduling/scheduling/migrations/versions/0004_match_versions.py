"""scheduling: each mentorship keeps the version of the match it copies

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("mentorships", sa.Column("match_version", sa.Integer, nullable=False, server_default="1"))
    # Matches so far: confirmed at version 1, ended at version 2.
    op.execute("UPDATE mentorships SET match_version = 2 WHERE status = 'ended'")


def downgrade() -> None:
    op.drop_column("mentorships", "match_version")
