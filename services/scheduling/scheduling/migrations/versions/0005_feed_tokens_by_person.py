"""scheduling: a person's feed tokens are found by tenant and person (their list, their export)

Revision ID: 0005
Revises: 0004
"""
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_feed_tokens_person", "feed_tokens", ["tenant_id", "person_id"])


def downgrade() -> None:
    op.drop_index("ix_feed_tokens_person", table_name="feed_tokens")
