"""profiles: the facets people are searched by (skills, offered roles) move into the person's row,
as JSON lists under GIN indexes on PostgreSQL: their tables cost an import as much as the people

Revision ID: 0010
Revises: 0009
"""
import sqlalchemy as sa
from alembic import op

from mentoring_shared.db.types import indexable_json

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

EMPTY_LIST = sa.text("'[]'")


def _on_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    op.add_column("people", sa.Column("skill_keys", indexable_json(), nullable=False, server_default=EMPTY_LIST))
    aggregate = "jsonb_agg" if _on_postgresql() else "json_group_array"
    op.execute(f"""UPDATE people SET skill_keys = (
                       SELECT {aggregate}(skill) FROM person_skills
                       WHERE person_skills.tenant_id = people.tenant_id AND person_skills.person_id = people.id)
                   WHERE EXISTS (
                       SELECT 1 FROM person_skills
                       WHERE person_skills.tenant_id = people.tenant_id AND person_skills.person_id = people.id)""")
    if _on_postgresql():  # SQLite has no JSONB and no GIN: its searches read the lists (json_each)
        _retype_roles_offered("jsonb")
        for column in ("skill_keys", "roles_offered"):
            op.create_index(f"ix_people_{column}", "people", [column], postgresql_using="gin",
                            postgresql_ops={column: "jsonb_path_ops"})
    op.drop_index("ix_person_roles_offered_person", "person_roles_offered")
    op.drop_index("ix_person_skills_person", "person_skills")
    op.drop_table("person_roles_offered")
    op.drop_table("person_skills")


def downgrade() -> None:
    for table, column, size in (("person_skills", "skill", 100), ("person_roles_offered", "role", 20)):
        op.create_table(
            table,
            sa.Column("tenant_id", sa.String(64), primary_key=True),
            sa.Column(column, sa.String(size), primary_key=True),
            sa.Column("person_id", sa.String(36), primary_key=True),
        )
        op.create_index(f"ix_{table}_person", table, ["tenant_id", "person_id"])
    for table, column, source in (("person_skills", "skill", "skill_keys"),
                                  ("person_roles_offered", "role", "roles_offered")):
        items = (f"jsonb_array_elements_text(people.{source}) AS item(value)" if _on_postgresql()
                 else f"json_each(people.{source}) AS item")
        op.execute(f"INSERT INTO {table} (tenant_id, {column}, person_id) "
                   f"SELECT DISTINCT people.tenant_id, item.value, people.id FROM people, {items}")
    if _on_postgresql():
        op.drop_index("ix_people_roles_offered", "people")
        op.drop_index("ix_people_skill_keys", "people")
        _retype_roles_offered("json")
    with op.batch_alter_table("people") as people:
        people.drop_column("skill_keys")


def _retype_roles_offered(json_type: str) -> None:
    """roles_offered as `json_type` (json or jsonb); its default goes and comes back around the change."""
    op.execute(f"""ALTER TABLE people ALTER COLUMN roles_offered DROP DEFAULT,
                   ALTER COLUMN roles_offered TYPE {json_type} USING roles_offered::text::{json_type},
                   ALTER COLUMN roles_offered SET DEFAULT '[]'""")
