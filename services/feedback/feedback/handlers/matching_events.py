"""Matching's events: feedback's copy of pairs; check-ins at one and three months after a match is
confirmed, and an exit survey to both sides when it ends."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import insert

from mentoring_shared.contracts import matching
from mentoring_shared.unit_of_work import UnitOfWork
from mentoring_shared.ids import new_id, new_ids
from mentoring_shared.messaging.envelope import Envelope

from feedback import orm
from feedback.domain.submissions import requests_for_pair
from feedback.repositories.pairs import Pairs
from feedback.repositories.submissions import Submissions

CHECK_INS = ((30, "1 month"), (91, "3 months"))


def matching_event_handlers(answer_within: timedelta) -> dict:
    def match_confirmed(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        if not Pairs(uow.session).add_confirmed(event.tenant_id, data):
            return  # known already: confirmed before, or ended (its end arrived first)
        confirmed = data["confirmed_at"]
        uow.session.execute(insert(orm.check_ins), [
            {"check_in_id": new_id(), "tenant_id": event.tenant_id, "match_id": data["match_id"],
             "due_on": (confirmed + timedelta(days=days)).date(), "label": label, "completed_at": None, "note": None}
            for days, label in CHECK_INS])

    def match_ended(event: Envelope, uow: UnitOfWork) -> None:
        data = event.data
        if not Pairs(uow.session).record_end(event.tenant_id, data):
            return  # a replay: the pair holds this end already
        if data["reason"] in ("person_erased",):
            return
        Submissions(uow.session).add_requests_to_present(requests_for_pair(
            ids=new_ids(), tenant_id=event.tenant_id, kind="exit", match_id=data["match_id"], session_id=None,
            cohort_id=data["cohort_id"], program_id=data["program_id"], mentee_id=data["mentee_id"],
            mentor_id=data["mentor_id"], now=datetime.now(timezone.utc), answer_within=answer_within))

    return {matching.MATCH_CONFIRMED_V1: match_confirmed, matching.MATCH_ENDED_V1: match_ended}
