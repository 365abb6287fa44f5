"""Pulse surveys on each program's schedule: the first `pulse_first_after_days` after the match, then
every `pulse_every_days`, both sides are asked how the relationship is going. A worker chore; each
round is asked once, because the pair's row is locked while its requests are written, and a round
already asked (any pulse request created since the round fell due) is not asked again. A pair seen
late (after an outage, say) is asked the current round only, not every round it missed."""

from __future__ import annotations

from datetime import datetime, timedelta

from feedback import metrics
from feedback.domain.submissions import requests_for_pair
from feedback.unit_of_work import FeedbackUnitOfWork
from mentoring_shared.ids import new_ids
from mentoring_shared.runtime import ServiceRuntime


def round_due_since(confirmed_at: datetime, first_after_days: int, every_days: int, now: datetime) -> datetime | None:
    """When the latest pulse round fell due, or None before the first one."""
    first = confirmed_at + timedelta(days=first_after_days)
    if now < first:
        return None
    rounds_since_first = (now - first) // timedelta(days=every_days)
    return first + rounds_since_first * timedelta(days=every_days)


class PulseSurveys:
    def __init__(self, runtime: ServiceRuntime[FeedbackUnitOfWork], answer_within: timedelta):
        self._runtime = runtime
        self._answer_within = answer_within

    def tick(self, now: datetime) -> int:
        """Ask every active pair whose pulse round is due and not yet asked; returns pairs asked."""
        with self._runtime.unit_of_work() as uow:
            rows = uow.pairs.active_pairs_with_pulse_schedule_for_update()
            last_asked = uow.submissions.last_pulse_asked_of_active_pairs()
            due = []
            for pair in rows:
                since = round_due_since(pair["confirmed_at"], pair["pulse_first_after_days"],
                                        pair["pulse_every_days"], now)
                asked = last_asked.get(pair["match_id"])
                if since is not None and (asked is None or asked < since):
                    due.append(pair)
            uow.submissions.add_requests([request for pair in due for request in requests_for_pair(
                ids=new_ids(), tenant_id=pair["tenant_id"], kind="pulse", match_id=pair["match_id"], session_id=None,
                cohort_id=pair["cohort_id"], program_id=pair["program_id"], mentee_id=pair["mentee_id"],
                mentor_id=pair["mentor_id"], now=now, answer_within=self._answer_within)])
            uow.commit()
        metrics.PULSE_SURVEYS_SENT.inc(2 * len(due))
        return len(due)
