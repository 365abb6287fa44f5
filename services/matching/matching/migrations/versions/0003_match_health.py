"""matching: feedback's health verdict on each match

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("matches", sa.Column("health", sa.String(20), nullable=False, server_default="on_track"))
    op.add_column("matches", sa.Column("health_reasons", sa.JSON, nullable=False, server_default="[]"))
    op.add_column("matches", sa.Column("health_evaluated_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for column in ("health_evaluated_at", "health_reasons", "health"):
        op.drop_column("matches", column)
