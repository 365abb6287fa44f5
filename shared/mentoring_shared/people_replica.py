"""A service's own copy of the people it works with, built only from profiles' person snapshots.
Matching, scheduling and feedback each keep one in their own database (no calls to profiles)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask.views import MethodView
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.orm import Session

from mentoring_shared.contracts.profiles import ERASED_PERSON_NAME, PERSON_ERASED_V1, PERSON_UPSERTED_V1, erased_email
from mentoring_shared.db.replica import NewerSnapshotUpsert, RowOf, SnapshotHandler
from mentoring_shared.db.types import UtcDateTime
from mentoring_shared.errors import NotFound
from mentoring_shared.event_order import held_version, is_stale
from mentoring_shared.messaging.envelope import Envelope
from mentoring_shared.unit_of_work import UnitOfWork
from mentoring_shared.web.acting import tenant
from mentoring_shared.web.auth import requires_role
from mentoring_shared.web.blueprint import Blueprint
from mentoring_shared.web.current import current_runtime
from mentoring_shared.web.pagination import PageArgs, page, page_schema

READER_ROLES = ("org_admin", "program_manager", "service")


# An erased person's copy says so, as profiles does; both they and a leaver are gone for good.
ERASED_STATUS = "erased"
GONE_STATUSES = ("terminated", ERASED_STATUS)

def add_people_replica_table(metadata: MetaData, *columns: Column) -> Table:
    """The replica's table, with `columns`: what the service keeps of each snapshot beyond the
    shared columns, in the same row (one row per person to write: a second row in a table beside
    it cost each event 10 to 15 µs of the database's CPU)."""
    return Table(
        "people", metadata,
        Column("tenant_id", String(64), primary_key=True),
        Column("person_id", String(36), primary_key=True),
        Column("employee_id", String(64), nullable=True),
        Column("name", String(200), nullable=False),
        Column("email", String(320), nullable=False),
        Column("time_zone", String(64), nullable=False),
        Column("status", String(20), nullable=False),
        Column("version", Integer, nullable=False),
        Column("updated_at", UtcDateTime, nullable=False),
        *columns,
    )


# The snapshot fields person_row reads.
PERSON_ROW_FIELDS = frozenset({"person_id", "version", "employee_id", "name", "email", "time_zone", "status"})


def person_row(event: Envelope) -> dict:
    """A replica row from a profiles.person.upserted.v1 snapshot."""
    snapshot = event.data
    return {"tenant_id": event.tenant_id, "person_id": snapshot["person_id"], "version": snapshot["version"],
            "employee_id": snapshot.get("employee_id"), "name": snapshot["name"], "email": snapshot["email"],
            "time_zone": snapshot["time_zone"], "status": snapshot["status"], "updated_at": datetime.now(UTC)}


def person_upserted_handler(table: Table, own_columns: RowOf | None = None,
                            own_fields: frozenset[str] | None = None) -> SnapshotHandler:
    """The handler for profiles.person.upserted.v1: keep the newest snapshot in `table`, with the
    values `own_columns(event)` gives the service's own columns (see add_people_replica_table),
    made of the snapshot's `own_fields`. The consumer loads only the fields the row is made of;
    own columns without their fields named get the whole snapshot."""
    upsert = NewerSnapshotUpsert(table, ["tenant_id", "person_id"])
    if own_columns is None:
        return SnapshotHandler((upsert, person_row), reads=PERSON_ROW_FIELDS)
    return SnapshotHandler((upsert, lambda event: {**person_row(event), **own_columns(event)}),
                           reads=None if own_fields is None else PERSON_ROW_FIELDS | own_fields)


class ReplicaErasure:
    """profiles.person.erased.v1 in a people replica: the row stays (other records may point at it)
    with nothing personal left, at the erasure's version, so replayed older snapshots are ignored.
    `ReplicaErasure(table, erased_own_columns).apply(session, event)`, for a service's people
    repository; `erased_own_columns` are what the service's own columns hold once erased."""

    def __init__(self, table: Table, erased_own_columns: dict[str, Any] | None = None):
        self._upsert = NewerSnapshotUpsert(table, ["tenant_id", "person_id"])
        self._erased_own_columns = erased_own_columns or {}

    def apply(self, session: Session, event: Envelope) -> None:
        person_id = event.data["person_id"]
        self._upsert.apply(session, {
            "tenant_id": event.tenant_id, "person_id": person_id, "version": event.data["version"],
            "employee_id": None, "name": ERASED_PERSON_NAME, "email": erased_email(person_id),
            "time_zone": "UTC", "status": ERASED_STATUS, "updated_at": datetime.now(UTC), **self._erased_own_columns})


def person_erased_handler(table: Table):
    """The handler for profiles.person.erased.v1 (see ReplicaErasure)."""
    erasure = ReplicaErasure(table)

    def apply_person_erased(event: Envelope, uow: UnitOfWork) -> None:
        erasure.apply(uow.session, event)
    return apply_person_erased


def is_stale_person_event(session: Session, table: Table, tenant_id: str, data: dict) -> bool:
    """A person event older than the snapshot the replica holds: e.g. a republished deactivation of
    someone who has since come back, which must not end what they took up again."""
    return is_stale(data.get("version"), held_version(session, table, tenant_id=tenant_id,
                                                      person_id=data["person_id"]))


def people_replica_handlers(table: Table) -> dict:
    """Every profiles event a people replica applies."""
    return {PERSON_UPSERTED_V1: person_upserted_handler(table), PERSON_ERASED_V1: person_erased_handler(table)}


class ReplicaPersonSchema(ma.Schema):
    person_id = ma.fields.String(required=True)
    employee_id = ma.fields.String(allow_none=True)
    name = ma.fields.String(required=True)
    email = ma.fields.String(required=True)
    time_zone = ma.fields.String(required=True)
    status = ma.fields.String(required=True)
    version = ma.fields.Integer(required=True)
    updated_at = ma.fields.AwareDateTime(required=True, default_timezone=UTC)


ReplicaPersonPage = page_schema(ReplicaPersonSchema, "ReplicaPersonPage")


def people_replica_blueprint(table: Table, service: str) -> Blueprint:
    blueprint = Blueprint("people", f"{service}.people", url_prefix="/v1/people",
                          description=f"{service}'s copy of the people it works with, kept from profiles' events.")

    @blueprint.route("")
    class PeopleCollection(MethodView):
        @requires_role(*READER_ROLES)
        @blueprint.arguments(PageArgs, location="query")
        @blueprint.response(200, ReplicaPersonPage)
        def get(self, args):
            """List the people this service knows, in the caller's tenant."""
            query = select(table).where(table.c.tenant_id == tenant())
            if args.get("cursor"):
                query = query.where(table.c.person_id > args.get("cursor"))
            with current_runtime().sessions() as session:
                rows = session.execute(query.order_by(table.c.person_id).limit(args["limit"] + 1)).mappings().all()
            return page(rows, args["limit"], lambda row: row["person_id"])

    @blueprint.route("/<id:person_id>")
    class PersonItem(MethodView):
        @requires_role(*READER_ROLES)
        @blueprint.response(200, ReplicaPersonSchema)
        @blueprint.alt_response(404, description="No such person in this tenant.")
        def get(self, person_id):
            """One person as this service knows them."""
            with current_runtime().sessions() as session:
                row = session.execute(select(table).where(
                    table.c.tenant_id == tenant(),
                    table.c.person_id == person_id)).mappings().first()
            if row is None:
                raise NotFound(f"no person {person_id} in this tenant")
            return row

    return blueprint


def create_people_replica_v1() -> None:
    """The replica table as first shipped, for a consuming service's initial migration. Frozen:
    later changes are new migrations in the service that needs them."""
    import sqlalchemy as sa
    from alembic import op

    op.create_table(
        "people",
        sa.Column("tenant_id", sa.String(64), primary_key=True),
        sa.Column("person_id", sa.String(36), primary_key=True),
        sa.Column("employee_id", sa.String(64), nullable=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )


def move_into_replica_rows_v1(beside: str, own_columns: list) -> None:
    """A consuming service's migration: the table `beside` the replica, one row per person under
    the same key and version, becomes `own_columns` of the replica's rows (each an sa.Column with
    the name it had there, nullable or with a server default). Frozen, as create_people_replica_v1."""
    import sqlalchemy as sa
    from alembic import op

    for column in own_columns:
        op.add_column("people", column)
    names = [column.name for column in own_columns]
    # UPDATE … FROM: PostgreSQL, and SQLite since 3.33.
    op.execute(sa.text(f"UPDATE people SET {', '.join(f'{name} = beside.{name}' for name in names)} "
                       f"FROM {beside} AS beside "
                       "WHERE beside.tenant_id = people.tenant_id AND beside.person_id = people.person_id"))
    op.drop_table(beside)


def move_out_of_replica_rows_v1(beside: str, columns: list, own_columns: list[str]) -> None:
    """The reverse of move_into_replica_rows_v1: the table `beside` is made again with `columns`
    (sa.Columns, keyed by tenant_id and person_id), filled from the replica's rows, and the replica
    loses `own_columns`."""
    import sqlalchemy as sa
    from alembic import op

    op.create_table(beside, *columns)
    names = ", ".join(column.name for column in columns)
    op.execute(sa.text(f"INSERT INTO {beside} ({names}) SELECT {names} FROM people"))
    with op.batch_alter_table("people") as people:
        for name in own_columns:
            people.drop_column(name)
