"""The names behind the ids a table shows (people, programs, cohorts), read through profiles' public
API, each at most once per command. A name the token may not read (or an id profiles no longer
knows) is left out: the table shows the id alone rather than failing the command."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from mentoring_tools.admin.client import ApiRefused
from mentoring_tools.admin.output import Named

if TYPE_CHECKING:
    from mentoring_tools.admin.client import PlatformClient

# Up to this many unknown people are read one by one; more are found by reading the directory page
# by page (200 a page), which costs fewer requests once a table names hundreds of people.
ONE_BY_ONE_LIMIT = 200


class Names:
    def __init__(self, client: PlatformClient):
        self._client = client
        self._known: dict[tuple[str, str], str | None] = {}

    def people(self, ids: Iterable[str | None]) -> None:
        """Read the names of these people ahead of `person()`, in as few requests as it takes."""
        missing = {person_id for person_id in ids if person_id and ("people", person_id) not in self._known}
        if len(missing) > ONE_BY_ONE_LIMIT:
            try:
                for person in self._client.pages("profiles", "/v1/people"):
                    if person["id"] in missing:
                        self._known["people", person["id"]] = person.get("name")
                        missing.discard(person["id"])
                        if not missing:
                            break
            except ApiRefused:
                pass
            for person_id in missing:  # not in the directory (erased, say): shown without a name
                self._known["people", person_id] = None
            return
        for person_id in missing:
            self._lookup("people", person_id)

    def person(self, person_id: str | None) -> Named:
        return Named(person_id, self._lookup("people", person_id))

    def program(self, program_id: str | None) -> Named:
        return Named(program_id, self._lookup("programs", program_id))

    def cohort(self, cohort_id: str | None) -> Named:
        return Named(cohort_id, self._lookup("cohorts", cohort_id))

    def _lookup(self, collection: str, item_id: str | None) -> str | None:
        if not item_id:
            return None
        key = (collection, item_id)
        if key not in self._known:
            try:
                self._known[key] = self._client.get("profiles", f"/v1/{collection}/{item_id}").get("name")
            except ApiRefused:
                self._known[key] = None
        return self._known[key]
