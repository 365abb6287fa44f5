"""Feedback's verdicts on pairs: an at-risk pair is flagged on its match, with the reasons, so the
program manager sees it (`GET /v1/matches?health=at_risk`) and can end it with reason
`pair_at_risk`, which proposes the mentee's best available mentor (rematch). Matching does not end
a pair on its own: a drifting pair often recovers after a check-in, which the flag clears.
A verdict older than the one recorded (by its `version`) is ignored."""

from __future__ import annotations

import mentoring_shared.contracts.feedback as contracts
from matching.unit_of_work import MatchingUnitOfWork
from mentoring_shared.messaging.envelope import Envelope


def feedback_event_handlers() -> dict:
    def pair_at_risk(event: Envelope, uow: MatchingUnitOfWork) -> None:
        data = event.data
        uow.matches.record_health(event.tenant_id, data["match_id"], "at_risk", list(data["reasons"]),
                                  data["evaluated_at"], data.get("version"))

    def pair_recovered(event: Envelope, uow: MatchingUnitOfWork) -> None:
        data = event.data
        uow.matches.record_health(event.tenant_id, data["match_id"], data["status"], [], data["evaluated_at"],
                                  data.get("version"))

    return {contracts.PAIR_AT_RISK_V1: pair_at_risk, contracts.PAIR_RECOVERED_V1: pair_recovered}
