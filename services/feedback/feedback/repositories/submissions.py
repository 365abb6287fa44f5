"""Feedback requests and submissions."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select, update
from sqlalchemy.orm import Session as DbSession

from mentoring_shared.db.bulk import insert_many

from feedback import orm
from feedback.domain.submissions import OPEN, Feedback, FeedbackRequest


def _request_row(request: FeedbackRequest) -> dict:
    row = asdict(request)
    row["request_id"] = row.pop("id")
    return row


def _request(row) -> FeedbackRequest:
    values = dict(row)
    values["id"] = values.pop("request_id")
    return FeedbackRequest(**values)


def _feedback_row(given: Feedback) -> dict:
    row = asdict(given)
    row["feedback_id"] = row.pop("id")
    row["goal_progress"] = list(row["goal_progress"])
    return row


def _feedback(row) -> Feedback:
    values = dict(row)
    values["id"] = values.pop("feedback_id")
    values["goal_progress"] = tuple(values["goal_progress"])
    return Feedback(**values)


class Submissions:
    def __init__(self, db: DbSession):
        self._db = db

    def add_requests(self, requests: list[FeedbackRequest]) -> None:
        insert_many(self._db, orm.feedback_requests, [_request_row(request) for request in requests])

    def save_request(self, request: FeedbackRequest) -> None:
        self._db.execute(update(orm.feedback_requests).where(orm.feedback_requests.c.request_id == request.id)
                         .values(status=request.status))

    def request(self, tenant_id: str, request_id: str, for_update: bool = False) -> FeedbackRequest | None:
        table = orm.feedback_requests
        query = select(table).where(table.c.tenant_id == tenant_id, table.c.request_id == request_id)
        row = self._db.execute(query.with_for_update() if for_update else query).mappings().first()
        return None if row is None else _request(row)

    def requests(self, tenant_id: str, *, limit: int, after: str | None, author_id: str | None,
                 status: str | None) -> list[FeedbackRequest]:
        table = orm.feedback_requests
        query = select(table).where(table.c.tenant_id == tenant_id)
        if author_id:
            query = query.where(table.c.author_id == author_id)
        if status:
            query = query.where(table.c.status == status)
        if after:
            query = query.where(table.c.request_id > after)
        rows = self._db.execute(query.order_by(table.c.request_id).limit(limit)).mappings()
        return [_request(row) for row in rows]

    def has_requests_for_session(self, tenant_id: str, session_id: str) -> bool:
        table = orm.feedback_requests
        return self._db.execute(select(table.c.request_id).where(
            table.c.tenant_id == tenant_id, table.c.session_id == session_id).limit(1)).first() is not None

    def close_open_requests_of(self, tenant_id: str, person_id: str) -> int:
        table = orm.feedback_requests
        result = self._db.execute(update(table).where(
            table.c.tenant_id == tenant_id, table.c.status == OPEN,
            (table.c.author_id == person_id) | (table.c.subject_id == person_id)).values(status="closed")
            .returning(table.c.request_id))
        return len(result.all())

    def add_feedback(self, given: Feedback) -> None:
        insert_many(self._db, orm.feedback, [_feedback_row(given)])

    def save_feedback(self, given: Feedback) -> None:
        self._db.execute(update(orm.feedback).where(orm.feedback.c.feedback_id == given.id)
                         .values(**_feedback_row(given)))

    def feedback(self, tenant_id: str, feedback_id: str, for_update: bool = False) -> Feedback | None:
        table = orm.feedback
        query = select(table).where(table.c.tenant_id == tenant_id, table.c.feedback_id == feedback_id)
        row = self._db.execute(query.with_for_update() if for_update else query).mappings().first()
        return None if row is None else _feedback(row)

    def feedback_involving(self, tenant_id: str, person_id: str) -> list[Feedback]:
        table = orm.feedback
        rows = self._db.execute(select(table).where(
            table.c.tenant_id == tenant_id,
            (table.c.author_id == person_id) | (table.c.subject_id == person_id))).mappings()
        return [_feedback(row) for row in rows]
