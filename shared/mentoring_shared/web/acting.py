"""Who is acting in a request, from its verified credential: the tenant, the roles that may call a
route, and the person a mentor or mentee acts as. One copy for every service; what an actor may do
to a pair is checked by the handlers, on the `Actor`."""

from __future__ import annotations

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from mentoring_shared.actors import Actor
from mentoring_shared.errors import Forbidden, InvalidField
from mentoring_shared.web.auth import current_principal
from mentoring_shared.web.current import current_runtime

ORGANIZERS = ("org_admin", "program_manager")
PARTICIPANTS = ("mentor", "mentee")
EVERYONE = ORGANIZERS + PARTICIPANTS


def tenant() -> str:
    """The caller's tenant, as their credential (a JWT, or a tenant's SCIM token) names it."""
    return current_principal().tenant_id


def person_named_by(session: Session, people: Table, tenant_id: str, subject: str) -> str | None:
    """The person a token's subject names: their person id, or their work email."""
    return session.execute(select(people.c.person_id).where(
        people.c.tenant_id == tenant_id,
        (people.c.person_id == subject) | (func.lower(people.c.email) == subject.lower()))).scalars().first()


def acting_person_id(people: Table) -> str | None:
    """Who the caller acts as: None for an organizer (anyone in their tenant), else the person their
    token names, as this service's copy of the people (`people`) knows them (Forbidden if it names
    nobody)."""
    principal = current_principal()
    if principal.has_any(ORGANIZERS):
        return None
    with current_runtime().sessions() as session:
        person_id = person_named_by(session, people, principal.tenant_id, principal.subject)
    if person_id is None:
        raise Forbidden("the token's subject names no person this service knows in this tenant")
    return person_id


def acting(people: Table) -> Actor:
    """Organizers act for anyone in their tenant; a mentor or mentee only as themselves."""
    return Actor(acting_person_id(people))


def listed_person(people: Table, requested: str | None) -> str | None:
    """Whose items a list shows: organizers any person's (or everyone's), a mentor or mentee only
    their own; asking for someone else's is a 422 naming `person_id`."""
    person_id = acting_person_id(people)
    if person_id is None:
        return requested
    if requested not in (None, person_id):
        raise InvalidField("person_id", "mentors and mentees see only their own")
    return person_id
