"""Who may call feedback's routes: organizers see their tenant's pairs and reports; mentors and
mentees act on their own requests, answers, goals and check-ins."""

from mentoring_shared.people_replica import ORGANIZER_ROLES

ORGANIZERS = ORGANIZER_ROLES
EVERYONE = (*ORGANIZER_ROLES, "mentor", "mentee")
