"""SCIM users: what an identity provider says about a person beyond the person's own attributes

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

from mentoring_shared.db.types import UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scim_users",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("user_name", sa.String(320), nullable=False),
        sa.Column("user_name_key", sa.String(320), nullable=False),
        sa.Column("external_id", sa.String(200), nullable=True),
        sa.Column("attributes", sa.JSON, nullable=False),
        sa.Column("deleted_at", UtcDateTime, nullable=True),
        sa.Column("revision", sa.Integer, nullable=False),
    )
    op.create_index("ux_scim_users_tenant_user_name", "scim_users", ["tenant_id", "user_name_key"], unique=True)
    op.create_index("ix_scim_users_tenant_external_id", "scim_users", ["tenant_id", "external_id"])


def downgrade() -> None:
    op.drop_index("ix_scim_users_tenant_external_id", "scim_users")
    op.drop_index("ux_scim_users_tenant_user_name", "scim_users")
    op.drop_table("scim_users")
