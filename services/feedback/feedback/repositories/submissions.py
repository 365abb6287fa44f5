"""Feedback requests and submissions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session as DbSession

from feedback import orm
from feedback.domain.submissions import OPEN, Feedback, FeedbackRequest
from mentoring_shared.db.bulk import insert_many
from mentoring_shared.db.records import RecordMapping, page_query, row_by_key

_REQUESTS = RecordMapping(FeedbackRequest, "request_id")
_FEEDBACK = RecordMapping(Feedback, "feedback_id", sequences=("goal_progress",))


class SubmissionsRepository:
    """Feedback requests and the feedback that answers them."""

    def __init__(self, db: DbSession):
        self._db = db

    def add_requests(self, requests: list[FeedbackRequest]) -> None:
        insert_many(self._db, orm.feedback_requests, [_REQUESTS.row(request) for request in requests])

    def save_request(self, request: FeedbackRequest) -> None:
        self._db.execute(update(orm.feedback_requests).where(orm.feedback_requests.c.request_id == request.id)
                         .values(status=request.status))

    def request(self, tenant_id: str, request_id: str, for_update: bool = False) -> FeedbackRequest | None:
        row = row_by_key(self._db, orm.feedback_requests, for_update, tenant_id=tenant_id, request_id=request_id)
        return None if row is None else _REQUESTS.record(row)

    def requests(self, tenant_id: str, *, limit: int, after: str | None, author_id: str | None,
                 status: str | None) -> list[FeedbackRequest]:
        query = page_query(orm.feedback_requests, "request_id", tenant_id, limit=limit, after=after,
                           author_id=author_id, status=status)
        return [_REQUESTS.record(row) for row in self._db.execute(query).mappings()]

    def requests_addressed_to(self, tenant_id: str, person_id: str) -> list[FeedbackRequest]:
        """Every request the person was asked to answer, whatever became of it."""
        table = orm.feedback_requests
        rows = self._db.execute(select(table).where(table.c.tenant_id == tenant_id, table.c.author_id == person_id)
                                .order_by(table.c.created_at, table.c.request_id)).mappings()
        return [_REQUESTS.record(row) for row in rows]

    def has_requests_for_session(self, tenant_id: str, session_id: str) -> bool:
        table = orm.feedback_requests
        return self._db.execute(select(table.c.request_id).where(
            table.c.tenant_id == tenant_id, table.c.session_id == session_id).limit(1)).first() is not None

    def close_open_requests(self, tenant_id: str, person_id: str, *, about_them_too: bool) -> int:
        """Close what the person was asked; with `about_them_too`, also what others were asked about them."""
        table = orm.feedback_requests
        whose = (table.c.author_id == person_id) | (table.c.subject_id == person_id) if about_them_too \
            else table.c.author_id == person_id
        result = self._db.execute(update(table).where(table.c.tenant_id == tenant_id, table.c.status == OPEN, whose)
                                  .values(status="closed").returning(table.c.request_id))
        return len(result.all())

    def last_pulse_asked_of_active_pairs(self) -> dict[str, datetime]:
        """When each active pair was last sent a pulse survey (pairs never asked are absent)."""
        pairs, requests = orm.pairs, orm.feedback_requests
        active = select(pairs.c.match_id).where(pairs.c.status == "active")
        return dict(self._db.execute(select(requests.c.match_id, func.max(requests.c.created_at)).where(
            requests.c.kind == "pulse", requests.c.match_id.in_(active)).group_by(requests.c.match_id)).all())

    def add_feedback(self, given: Feedback) -> None:
        insert_many(self._db, orm.feedback, [_FEEDBACK.row(given)])

    def save_feedback(self, given: Feedback) -> None:
        self._db.execute(update(orm.feedback).where(orm.feedback.c.feedback_id == given.id)
                         .values(**_FEEDBACK.row(given)))

    def feedback(self, tenant_id: str, feedback_id: str, for_update: bool = False) -> Feedback | None:
        row = row_by_key(self._db, orm.feedback, for_update, tenant_id=tenant_id, feedback_id=feedback_id)
        return None if row is None else _FEEDBACK.record(row)

    def feedback_involving(self, tenant_id: str, person_id: str) -> list[Feedback]:
        table = orm.feedback
        rows = self._db.execute(select(table).where(
            table.c.tenant_id == tenant_id,
            (table.c.author_id == person_id) | (table.c.subject_id == person_id))).mappings()
        return [_FEEDBACK.record(row) for row in rows]

    def feedback_given_by(self, tenant_id: str, person_id: str) -> list[Feedback]:
        """The person's answers, with their words (an erased author's no longer name them)."""
        table = orm.feedback
        rows = self._db.execute(select(table).where(table.c.tenant_id == tenant_id, table.c.author_id == person_id)
                                .order_by(table.c.submitted_at, table.c.feedback_id)).mappings()
        return [_FEEDBACK.record(row) for row in rows]
