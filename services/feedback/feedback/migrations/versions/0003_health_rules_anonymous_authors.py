"""feedback: a program's own pair-health thresholds; a stand-in for erased authors

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
    op.create_table(
        "health_rules",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("program_id", sa.String(36), primary_key=True),
        sa.Column("overrides", sa.JSON, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(320), nullable=False),
    )
    op.add_column("feedback", sa.Column("anonymous_author", sa.String(36), nullable=True))


def downgrade() -> None:
    op.drop_column("feedback", "anonymous_author")
    op.drop_table("health_rules")
