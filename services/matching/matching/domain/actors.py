"""Who is acting: a program organizer (on anyone's behalf in their tenant) or a person acting for
themselves (a mentee asking, a mentor answering)."""

from __future__ import annotations

from dataclasses import dataclass

from mentoring_shared.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    person_id: str | None  # None: an organizer
    organizer: bool

    def require(self, as_what: str, *person_ids: str) -> None:
        if self.organizer or self.person_id in person_ids:
            return
        raise Forbidden(f"only the {as_what} of this pair, or a program manager, can do this")
