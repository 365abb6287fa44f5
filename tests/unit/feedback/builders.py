"""Plain records for feedback's handler unit tests: a pair, a request, an answer, an event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from feedback.domain.submissions import Feedback, FeedbackRequest
from mentoring_shared.actors import Actor
from mentoring_shared.messaging.envelope import Envelope

TENANT = "acme"
MENTEE, MENTOR, STRANGER = "mentee-1", "mentor-1", "someone-else"
ORGANIZER = Actor(None)
NOW = datetime.now(UTC)


def pair_row(match_id: str = "match-1", *, status: str = "active", program_id: str = "program-1",
             confirmed_at: datetime | None = None, **changes: Any) -> dict[str, Any]:
    return {"match_id": match_id, "tenant_id": TENANT, "cohort_id": "cohort-1", "program_id": program_id,
            "mentee_id": MENTEE, "mentor_id": MENTOR, "status": status,
            "confirmed_at": confirmed_at or NOW - timedelta(days=10), "ended_at": None, "end_reason": None,
            "match_version": 1, "health": "on_track", "health_reasons": [], "health_evaluated_at": None,
            "health_version": 0, **changes}


def program_row(program_id: str = "program-1", *, version: int = 1, **changes: Any) -> dict[str, Any]:
    return {"tenant_id": TENANT, "program_id": program_id, "version": version, "name": "Engineering",
            "privacy_threshold": 5, "pulse_first_after_days": 30, "pulse_every_days": 60, **changes}


def person_row(person_id: str, *, status: str = "active", version: int = 1) -> dict[str, Any]:
    return {"tenant_id": TENANT, "person_id": person_id, "version": version, "name": person_id, "status": status}


def request(request_id: str = "request-1", *, author_id: str = MENTEE, subject_id: str = MENTOR,
            status: str = "open", kind: str = "session", created_at: datetime | None = None) -> FeedbackRequest:
    return FeedbackRequest(id=request_id, tenant_id=TENANT, kind=kind, match_id="match-1", session_id="session-1",
                           cohort_id="cohort-1", program_id="program-1", author_id=author_id, subject_id=subject_id,
                           direction="mentee_to_mentor", status=status, created_at=created_at or NOW,
                           due_at=(created_at or NOW) + timedelta(days=14))


def answer(feedback_id: str = "feedback-1", *, author_id: str = MENTEE, subject_id: str = MENTOR,
           editable_until: datetime | None = None, text: str | None = "helpful") -> Feedback:
    return Feedback(id=feedback_id, tenant_id=TENANT, request_id="request-1", kind="session", match_id="match-1",
                    session_id="session-1", cohort_id="cohort-1", program_id="program-1", author_id=author_id,
                    subject_id=subject_id, direction="mentee_to_mentor", rating=4, recommend=None, text=text,
                    goal_progress=(), submitted_at=NOW, editable_until=editable_until or NOW + timedelta(hours=72),
                    version=1)


def event(event_type: str, data: dict[str, Any], subject: str = "subject-1") -> Envelope:
    return Envelope.new(type=event_type, source="/tests", subject=subject, tenant_id=TENANT, data=data)
