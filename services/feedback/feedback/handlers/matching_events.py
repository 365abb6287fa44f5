"""Matching's events: feedback's copy of pairs; check-ins at one and three months after a match is
confirmed, and an exit survey to both sides when it ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from feedback.domain.goals import CheckIn
from feedback.domain.submissions import requests_for_pair
from feedback.handlers.feedback_requests import ask_those_present
from feedback.unit_of_work import FeedbackUnitOfWork
from mentoring_shared.contracts import matching
from mentoring_shared.ids import new_id, new_ids
from mentoring_shared.messaging.envelope import Envelope

CHECK_INS = ((30, "1 month"), (91, "3 months"))


def matching_event_handlers(answer_within: timedelta) -> dict:
    def match_confirmed(event: Envelope, uow: FeedbackUnitOfWork) -> None:
        data = event.data
        if not uow.pairs.add_confirmed(event.tenant_id, data):
            return  # known already: confirmed before, or ended (its end arrived first)
        confirmed = data["confirmed_at"]
        uow.goals.add_check_ins([
            CheckIn(id=new_id(), tenant_id=event.tenant_id, match_id=data["match_id"],
                    due_on=(confirmed + timedelta(days=days)).date(), label=label, completed_at=None, note=None)
            for days, label in CHECK_INS])

    def match_ended(event: Envelope, uow: FeedbackUnitOfWork) -> None:
        data = event.data
        if not uow.pairs.record_end(event.tenant_id, data):
            return  # a replay: the pair holds this end already
        if data["reason"] in ("person_erased",):
            return
        ask_those_present(uow, event.tenant_id, requests_for_pair(
            ids=new_ids(), tenant_id=event.tenant_id, kind="exit", match_id=data["match_id"], session_id=None,
            cohort_id=data["cohort_id"], program_id=data["program_id"], mentee_id=data["mentee_id"],
            mentor_id=data["mentor_id"], now=datetime.now(UTC), answer_within=answer_within))

    return {matching.MATCH_CONFIRMED_V1: match_confirmed, matching.MATCH_ENDED_V1: match_ended}
