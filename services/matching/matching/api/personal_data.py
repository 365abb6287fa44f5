"""/v1/people/{id}/export: what matching holds about a person (their right of access)."""

from matching.repositories.personal_data import export_person
from matching.schemas.personal_data import MatchingPersonExportSchema
from mentoring_shared.web.person_export import person_export_blueprint

blueprint = person_export_blueprint(
    "matching", MatchingPersonExportSchema, export_person,
    holds=("its copy of them, their enrollments, matches, requests, and the proposed pairs naming them with "
           "their scores and explanations"))
