"""Who acts in a use case: an organizer (a program manager or admin, for anyone in their tenant) or
a person acting for themselves (a mentor or mentee). Plain data, so handlers and tests need no
request: `web.acting` builds one from a request's verified token."""

from __future__ import annotations

from dataclasses import dataclass

from mentoring_shared.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    person_id: str | None  # None: an organizer

    @property
    def organizer(self) -> bool:
        return self.person_id is None

    def may_see(self, *person_ids: str | None) -> bool:
        """Whether something of these people is the actor's to see: an organizer sees everyone's.
        Callers answer 404 otherwise, so someone outside a pair does not learn that it exists."""
        return self.organizer or self.person_id in person_ids

    def require(self, as_what: str, *person_ids: str | None) -> None:
        """Forbidden unless the actor is an organizer or one of `person_ids` (`as_what` names them)."""
        if not self.may_see(*person_ids):
            raise Forbidden(f"only the {as_what} of this pair, or a program manager, can do this")
