"""scheduling: the outbox's event ids (new UUIDv7s) are no longer checked unique: the check made marking rows sent dearer

Revision ID: 0007
Revises: 0006
"""
from mentoring_shared.db.migrations import drop_outbox_event_id_unique_v4, restore_outbox_event_id_unique_v4

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    drop_outbox_event_id_unique_v4()


def downgrade() -> None:
    restore_outbox_event_id_unique_v4()
