"""/v1/people/{id}/export: what scheduling holds about a person (their right of access)."""

from mentoring_shared.web.person_export import person_export_blueprint
from scheduling.repositories.personal_data import export_person
from scheduling.schemas.personal_data import SchedulingPersonExportSchema

blueprint = person_export_blueprint(
    "scheduling", SchedulingPersonExportSchema, export_person,
    holds=("its copy of them, when they can meet, their calendar sources (described, without URLs or "
           "passwords), feed tokens (without the tokens), mentorships, sessions and the reminders sent to "
           "them"))
