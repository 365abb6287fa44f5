"""Turning the caller's token into who acts: an organizer, or the person the token names."""

from flask import current_app

from mentoring_shared.errors import Forbidden
from mentoring_shared.web.auth import current_principal
from mentoring_shared.web.current import current_runtime

from scheduling.domain.actors import Actor
from scheduling.repositories.people import People
from scheduling.settings import SchedulingSettings

ORGANIZERS = ("org_admin", "program_manager")
PARTICIPANTS = ("mentor", "mentee")
EVERYONE = ORGANIZERS + PARTICIPANTS


def tenant() -> str:
    return current_principal().tenant_id


def acting() -> Actor:
    """Organizers act for anyone in their tenant; a mentor or mentee only as themselves (the token's
    subject is their person id or work email, as scheduling's copy of the people knows them)."""
    principal = current_principal()
    if principal.has_any(ORGANIZERS):
        return Actor(person_id=None, organizer=True)
    with current_runtime().sessions() as session:
        person_id = People(session).person_id_for(principal.tenant_id, principal.subject)
    if person_id is None:
        raise Forbidden("the token's subject names no person scheduling knows in this tenant")
    return Actor(person_id=person_id, organizer=False)


def settings() -> SchedulingSettings:
    return current_app.extensions["scheduling_settings"]
