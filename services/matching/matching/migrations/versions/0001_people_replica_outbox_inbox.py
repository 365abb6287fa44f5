"""people replica, outbox and inbox

Revision ID: 0001
Revises:
"""
from alembic import op

from mentoring_shared.db.migrations import create_outbox_and_inbox_v1
from mentoring_shared.people_replica import create_people_replica_v1

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    create_people_replica_v1()
    create_outbox_and_inbox_v1()


def downgrade() -> None:
    op.drop_table("inbox")
    op.drop_table("outbox")
    op.drop_table("people")
