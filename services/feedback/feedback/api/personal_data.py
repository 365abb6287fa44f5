"""/v1/people/{id}/export: what feedback holds about a person (their right of access)."""

from feedback.repositories.personal_data import export_person
from feedback.schemas.personal_data import FeedbackPersonExportSchema
from mentoring_shared.web.person_export import person_export_blueprint

blueprint = person_export_blueprint(
    "feedback", FeedbackPersonExportSchema, export_person,
    holds=("its copy of them, the feedback requests addressed to them, the answers they gave, and their "
           "pairs' health, goals and check-ins"))
