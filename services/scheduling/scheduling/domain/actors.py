"""Who is acting: an organizer (anyone's mentorships in their tenant) or one of the pair."""

from __future__ import annotations

from dataclasses import dataclass

from mentoring_shared.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    person_id: str | None  # None: an organizer
    organizer: bool

    def may_see(self, *person_ids: str) -> bool:
        """Someone outside a pair does not learn that it exists (a 404, not a 403)."""
        return self.organizer or self.person_id in person_ids

    def require_in(self, *person_ids: str) -> None:
        if not self.may_see(*person_ids):
            raise Forbidden("only the mentee or the mentor of this pair, or a program manager, can do this")
