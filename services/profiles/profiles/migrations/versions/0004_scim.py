"""SCIM 2.0 provisioning: tokens, groups, group members

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

from mentoring_shared.db.types import UtcDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scim_tokens",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("label", sa.String(200), nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("revoked_at", UtcDateTime, nullable=True),
    )
    op.create_index("ux_scim_tokens_hash", "scim_tokens", ["token_hash"], unique=True)
    op.create_table(
        "scim_groups",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("external_id", sa.String(200), nullable=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_index("ux_scim_groups_tenant_name", "scim_groups", ["tenant_id", "display_name"], unique=True)
    op.create_table(
        "scim_group_members",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("group_id", sa.String(36), primary_key=True),
        sa.Column("person_id", sa.String(36), primary_key=True),
    )
    op.create_index("ix_scim_group_members_person", "scim_group_members", ["tenant_id", "person_id"])


def downgrade() -> None:
    op.drop_index("ix_scim_group_members_person", "scim_group_members")
    op.drop_table("scim_group_members")
    op.drop_index("ux_scim_groups_tenant_name", "scim_groups")
    op.drop_table("scim_groups")
    op.drop_index("ux_scim_tokens_hash", "scim_tokens")
    op.drop_table("scim_tokens")
