"""Asking a pair for feedback after something happened to it (a session held, the match ended)."""

from __future__ import annotations

from feedback.domain.submissions import FeedbackRequest
from feedback.unit_of_work import FeedbackUnitOfWork


def ask_those_present(uow: FeedbackUnitOfWork, tenant_id: str, requests: list[FeedbackRequest]) -> None:
    """Add the requests, but none to people who have left (the copy of people knows them as
    terminated or erased)."""
    gone = uow.people.gone_among(tenant_id, {request.author_id for request in requests})
    uow.submissions.add_requests([request for request in requests if request.author_id not in gone])
