"""index search facets by person

Revision ID: 0003
Revises: 0002
"""
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_person_skills_person", "person_skills", ["tenant_id", "person_id"])
    op.create_index("ix_person_roles_offered_person", "person_roles_offered", ["tenant_id", "person_id"])


def downgrade() -> None:
    op.drop_index("ix_person_roles_offered_person", "person_roles_offered")
    op.drop_index("ix_person_skills_person", "person_skills")
