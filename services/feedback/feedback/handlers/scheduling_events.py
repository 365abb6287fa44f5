"""Scheduling's events: feedback's copy of sessions, and a feedback request to each side after every
completed session."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from feedback.domain.submissions import requests_for_pair
from feedback.handlers.feedback_requests import ask_those_present
from feedback.unit_of_work import FeedbackUnitOfWork
from mentoring_shared.contracts import scheduling
from mentoring_shared.ids import new_ids
from mentoring_shared.messaging.envelope import Envelope


def scheduling_event_handlers(answer_within: timedelta) -> dict:
    def session_changed(event: Envelope, uow: FeedbackUnitOfWork) -> None:
        data = event.data
        status = {scheduling.SESSION_CANCELLED_V1: "no_show" if data.get("reason") == "no_show" else "cancelled",
                  scheduling.SESSION_COMPLETED_V1: "completed"}.get(event.type, "scheduled")
        applied = uow.mentoring_sessions.apply_snapshot({
            "session_id": data["session_id"], "tenant_id": event.tenant_id, "match_id": data["mentorship_id"],
            "cohort_id": data["cohort_id"], "program_id": data["program_id"], "starts_at": data["starts_at"],
            "minutes": int((data["ends_at"] - data["starts_at"]).total_seconds() // 60), "status": status,
            "version": data["version"]})
        # Only a newer snapshot asks for feedback: an older "completed" is a replay (completed is final).
        if applied and status == "completed" and not uow.submissions.has_requests_for_session(
                event.tenant_id, data["session_id"]):
            ask_those_present(uow, event.tenant_id, requests_for_pair(
                ids=new_ids(), tenant_id=event.tenant_id, kind="session", match_id=data["mentorship_id"],
                session_id=data["session_id"], cohort_id=data["cohort_id"], program_id=data["program_id"],
                mentee_id=data["mentee_id"], mentor_id=data["mentor_id"], now=datetime.now(UTC),
                answer_within=answer_within))

    return {event_type: session_changed for event_type in (
        scheduling.SESSION_SCHEDULED_V1, scheduling.SESSION_RESCHEDULED_V1, scheduling.SESSION_CANCELLED_V1,
        scheduling.SESSION_COMPLETED_V1)}
