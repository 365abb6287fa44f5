"""A service's own copy of the people it works with, built only from profiles' person snapshots.
Matching, scheduling and feedback each keep one in their own database (no calls to profiles)."""

from __future__ import annotations

from datetime import UTC, datetime

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

def add_people_replica_table(metadata: MetaData) -> Table:
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
    )


def person_row(event: Envelope) -> dict:
    """A replica row from a profiles.person.upserted.v1 snapshot."""
    snapshot = event.data
    return {"tenant_id": event.tenant_id, "person_id": snapshot["person_id"], "version": snapshot["version"],
            "employee_id": snapshot.get("employee_id"), "name": snapshot["name"], "email": snapshot["email"],
            "time_zone": snapshot["time_zone"], "status": snapshot["status"], "updated_at": datetime.now(UTC)}


def person_upserted_handler(table: Table, *more: tuple[NewerSnapshotUpsert, RowOf]) -> SnapshotHandler:
    """The handler for profiles.person.upserted.v1: keep the newest snapshot, in `table` and in any
    `more` tables a service keeps beside it (each an upsert and how to make its row)."""
    return SnapshotHandler((NewerSnapshotUpsert(table, ["tenant_id", "person_id"]), person_row), *more)


class ReplicaErasure:
    """profiles.person.erased.v1 in a people replica: the row stays (other records may point at it)
    with nothing personal left, at the erasure's version, so replayed older snapshots are ignored.
    `ReplicaErasure(table).apply(session, event)`, for a service's people repository."""

    def __init__(self, table: Table):
        self._upsert = NewerSnapshotUpsert(table, ["tenant_id", "person_id"])

    def apply(self, session: Session, event: Envelope) -> None:
        person_id = event.data["person_id"]
        self._upsert.apply(session, {
            "tenant_id": event.tenant_id, "person_id": person_id, "version": event.data["version"],
            "employee_id": None, "name": ERASED_PERSON_NAME, "email": erased_email(person_id),
            "time_zone": "UTC", "status": ERASED_STATUS, "updated_at": datetime.now(UTC)})


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
