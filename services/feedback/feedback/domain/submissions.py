"""Feedback requests and submissions: after each completed session both people are asked about
the other; one submission per request, editable for a while, and erasable without losing the
figures it counts in."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import mentoring_shared.contracts.feedback as contracts
from mentoring_shared.domain_events import DomainEvent
from mentoring_shared.errors import Conflict, Forbidden, InvalidField

OPEN, ANSWERED, CLOSED = "open", "answered", "closed"


@dataclass(frozen=True)
class FeedbackRequest:
    id: str
    tenant_id: str
    kind: str                  # session | pulse | exit
    match_id: str
    session_id: str | None
    cohort_id: str
    program_id: str
    author_id: str             # who is asked
    subject_id: str            # about whom
    direction: str             # mentee_to_mentor | mentor_to_mentee
    status: str
    created_at: datetime
    due_at: datetime


@dataclass(frozen=True)
class Feedback:
    id: str
    tenant_id: str
    request_id: str
    kind: str
    match_id: str
    session_id: str | None
    cohort_id: str
    program_id: str
    author_id: str | None
    subject_id: str | None
    direction: str
    rating: int | None
    recommend: int | None
    text: str | None
    goal_progress: tuple[dict[str, Any], ...]
    submitted_at: datetime
    editable_until: datetime
    version: int
    anonymized: bool = False
    anonymous_author: str | None = None  # an erased author's random stand-in, for counting respondents


def requests_for_pair(*, ids, tenant_id: str, kind: str, match_id: str, session_id: str | None, cohort_id: str,
                      program_id: str, mentee_id: str, mentor_id: str, now: datetime,
                      answer_within: timedelta) -> list[FeedbackRequest]:
    """Both directions: the mentee about the mentor, the mentor about the mentee."""
    return [FeedbackRequest(id=next(ids), tenant_id=tenant_id, kind=kind, match_id=match_id, session_id=session_id,
                            cohort_id=cohort_id, program_id=program_id, author_id=author, subject_id=subject,
                            direction=direction, status=OPEN, created_at=now, due_at=now + answer_within)
            for author, subject, direction in ((mentee_id, mentor_id, "mentee_to_mentor"),
                                               (mentor_id, mentee_id, "mentor_to_mentee"))]


def _check_values(rating: int | None, recommend: int | None, kind: str) -> None:
    if rating is not None and not 1 <= rating <= 5:
        raise InvalidField("rating", "must be 1 to 5")
    if recommend is not None and not 0 <= recommend <= 10:
        raise InvalidField("recommend", "must be 0 to 10")
    if kind == "session" and rating is None:
        raise InvalidField("rating", "a session's feedback needs a rating")


def submit(request: FeedbackRequest, *, feedback_id: str, author_id: str | None, rating: int | None,
           recommend: int | None, text: str | None, goal_progress, now: datetime,
           edit_window: timedelta) -> tuple[FeedbackRequest, Feedback, list[DomainEvent]]:
    """`author_id` None: an organizer may not answer for someone; only the person asked may."""
    if author_id != request.author_id:
        raise Forbidden("only the person asked can give this feedback")
    if request.status == ANSWERED:
        raise Conflict("this feedback was already given; edit it instead", current_status=request.status)
    if request.status == CLOSED:
        raise Conflict("this request is closed", current_status=request.status)
    _check_values(rating, recommend, request.kind)
    given = Feedback(id=feedback_id, tenant_id=request.tenant_id, request_id=request.id, kind=request.kind,
                     match_id=request.match_id, session_id=request.session_id, cohort_id=request.cohort_id,
                     program_id=request.program_id, author_id=request.author_id, subject_id=request.subject_id,
                     direction=request.direction, rating=rating, recommend=recommend, text=text,
                     goal_progress=tuple(goal_progress or ()), submitted_at=now, editable_until=now + edit_window,
                     version=1)
    return replace(request, status=ANSWERED), given, [_submitted(given)]


def edit(given: Feedback, author_id: str | None, changes: dict[str, Any], now: datetime) -> tuple[Feedback, list]:
    if author_id is None or author_id != given.author_id:
        raise Forbidden("only its author can edit this feedback")
    if now > given.editable_until:
        raise Conflict(f"feedback can be edited until {given.editable_until.isoformat()}; that time has passed",
                       editable_until=given.editable_until.isoformat())
    values = {"rating": given.rating, "recommend": given.recommend, **changes}
    _check_values(values["rating"], values["recommend"], given.kind)
    if "goal_progress" in changes:
        changes = {**changes, "goal_progress": tuple(changes["goal_progress"] or ())}
    edited = replace(given, **changes, version=given.version + 1)
    return edited, [_submitted(edited)]


def anonymize(given: Feedback, erased_person_id: str, stand_in: str) -> Feedback:
    """The author or the subject was erased: the words (which may name them) and the erased person's id go;
    the numbers stay in the figures. An erased author is replaced by `stand_in`, a random id shared by all
    of that person's answers and linked to nobody, so each respondent is still counted once."""
    erased_author = given.author_id == erased_person_id
    return replace(given, text=None, goal_progress=(), anonymized=True,
                   author_id=None if erased_author else given.author_id,
                   subject_id=None if given.subject_id == erased_person_id else given.subject_id,
                   anonymous_author=stand_in if erased_author else given.anonymous_author)


def _submitted(given: Feedback) -> DomainEvent:
    return DomainEvent(contracts.FEEDBACK_SUBMITTED_V1, given.tenant_id, given.id, {
        "feedback_id": given.id, "version": given.version, "kind": given.kind, "match_id": given.match_id,
        "session_id": given.session_id, "cohort_id": given.cohort_id, "program_id": given.program_id,
        "direction": given.direction, "rating": given.rating, "submitted_at": given.submitted_at.isoformat()})
