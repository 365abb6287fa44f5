"""profiles: the relay is told of new outbox rows (PostgreSQL NOTIFY) instead of polling for them

Revision ID: 0008
Revises: 0007
"""
from mentoring_shared.db.migrations import add_outbox_wakeups_v3, drop_outbox_wakeups_v3

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_outbox_wakeups_v3()


def downgrade() -> None:
    drop_outbox_wakeups_v3()
