"""feedback: broker log marks, outbox republishes, the refused-rows index, inbox pruning index

Revision ID: 0004
Revises: 0003
"""
from mentoring_shared.db.migrations import add_delivery_repair_v2, drop_delivery_repair_v2

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    add_delivery_repair_v2()


def downgrade() -> None:
    drop_delivery_repair_v2()
