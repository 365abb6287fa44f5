"""Giving feedback, and editing it within its window."""

from __future__ import annotations

from datetime import UTC, datetime

from feedback.domain import submissions as domain
from feedback.repositories.submissions import SubmissionsRepository
from feedback.settings import FeedbackSettings
from feedback.unit_of_work import FeedbackUnitOfWork
from mentoring_shared.actors import Actor
from mentoring_shared.errors import NotFound
from mentoring_shared.ids import new_id


def give_feedback(tenant_id: str, request_id: str, actor: Actor, answer: dict, settings: FeedbackSettings,
                  uow: FeedbackUnitOfWork) -> domain.Feedback:
    with uow:
        request = uow.submissions.request(tenant_id, request_id, for_update=True)
        if request is None or not actor.may_see(request.author_id, request.subject_id):
            raise NotFound(f"no feedback request {request_id} in this tenant")
        answered, given, events = domain.submit(
            request, feedback_id=new_id(), author_id=actor.person_id, rating=answer.get("rating"),
            recommend=answer.get("recommend"), text=answer.get("text"), goal_progress=answer.get("goal_progress"),
            now=datetime.now(UTC), edit_window=settings.edit_window)
        uow.submissions.save_request(answered)
        uow.submissions.add_feedback(given)
        uow.publish(events)
        uow.commit()
    return given


def edit_feedback(tenant_id: str, feedback_id: str, actor: Actor, changes: dict,
                  uow: FeedbackUnitOfWork) -> domain.Feedback:
    with uow:
        given = uow.submissions.feedback(tenant_id, feedback_id, for_update=True)
        if given is None or not actor.may_see(given.author_id):
            raise NotFound(f"no feedback {feedback_id} in this tenant")
        edited, events = domain.edit(given, actor.person_id, changes, datetime.now(UTC))
        uow.submissions.save_feedback(edited)
        uow.publish(events)
        uow.commit()
    return edited


def visible_feedback(submissions: SubmissionsRepository, tenant_id: str, feedback_id: str,
                     actor: Actor) -> domain.Feedback:
    """One answer, to its author or an organizer; anyone else is told there is none (404)."""
    given = submissions.feedback(tenant_id, feedback_id)
    if given is None or not actor.may_see(given.author_id):
        raise NotFound(f"no feedback {feedback_id} in this tenant")
    return given
