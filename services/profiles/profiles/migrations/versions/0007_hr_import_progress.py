"""HR import progress: how far an import has come, readable while its transaction is open

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

from mentoring_shared.db.types import UtcDateTime

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hr_import_progress",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("progress_id", sa.String(64), primary_key=True),
        sa.Column("phase", sa.String(20), nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("hr_import_progress")
