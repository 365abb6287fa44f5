"""Turning the caller's token into who acts: an organizer, or the person the token names."""

from flask import current_app

from mentoring_shared.web.auth import current_principal
from mentoring_shared.people_replica import ORGANIZER_ROLES, acting_person_id

from scheduling import orm
from scheduling.domain.actors import Actor
from scheduling.settings import SchedulingSettings

ORGANIZERS = ORGANIZER_ROLES
PARTICIPANTS = ("mentor", "mentee")
EVERYONE = ORGANIZERS + PARTICIPANTS


def tenant() -> str:
    return current_principal().tenant_id


def acting() -> Actor:
    """Organizers act for anyone in their tenant; a mentor or mentee only as themselves (the token's
    subject is their person id or work email, as scheduling's copy of the people knows them)."""
    person_id = acting_person_id(orm.people)
    return Actor(person_id=person_id, organizer=person_id is None)


def settings() -> SchedulingSettings:
    return current_app.extensions["scheduling_settings"]
