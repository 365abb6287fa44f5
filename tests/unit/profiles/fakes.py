"""In-memory stand-ins for profiles' repositories: the same public methods as the real ones
(profiles/repositories/), as plain dicts and lists, for handler unit tests with no database.

`fake_unit_of_work()` wires them all onto a FakeUnitOfWork under the names ProfilesUnitOfWork uses."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from mentoring_shared.errors import Conflict, PreconditionFailed
from mentoring_testing.fake_unit_of_work import FakeUnitOfWork
from profiles.domain.cohorts import Cohort
from profiles.domain.enrollments import Enrollment
from profiles.domain.people import Person
from profiles.domain.programs import Program
from profiles.domain.scim_users import UserRecord, user_name_key
from profiles.repositories.people import PeopleFilter


def _page(items: list, limit: int, after_id: str | None) -> list:
    return [item for item in sorted(items, key=lambda item: item.id) if not after_id or item.id > after_id][:limit]


class FakePeople:
    def __init__(self, *persons: Person):
        self.rows: dict[tuple[str, str], Person] = {(person.tenant_id, person.id): person for person in persons}

    def _of(self, tenant_id: str) -> list[Person]:
        return [person for (tenant, _), person in self.rows.items() if tenant == tenant_id]

    def add(self, person: Person) -> None:
        if self.conflicting(person.tenant_id, person.employee_id, person.email):
            raise Conflict("another person in this tenant already has this identity",
                           fields=self.conflicting(person.tenant_id, person.employee_id, person.email))
        self.rows[(person.tenant_id, person.id)] = person

    def save(self, person: Person) -> None:
        if self.conflicting(person.tenant_id, person.employee_id, person.email, person.id):
            raise Conflict("another person in this tenant already has this identity")
        self.rows[(person.tenant_id, person.id)] = person

    def add_many(self, persons: list[Person]) -> None:
        for person in persons:
            self.add(person)

    def save_many(self, persons: list[Person]) -> None:
        for person in persons:
            self.save(person)

    def get(self, tenant_id: str, person_id: str, for_update: bool = False) -> Person | None:
        return self.rows.get((tenant_id, person_id))

    def conflicting(self, tenant_id: str, employee_id: str | None, email: str,
                    other_than: str | None = None) -> list[str]:
        taken = set()
        for person in self._of(tenant_id):
            if person.id == other_than:
                continue
            if employee_id and person.employee_id == employee_id:
                taken.add("employee_id")
            if person.email == email:
                taken.add("email")
        return sorted(taken)

    def list(self, tenant_id: str, limit: int, after_id: str | None,
             where: PeopleFilter = PeopleFilter()) -> list[Person]:  # noqa: B008 (frozen, as the real one's)
        found = [person for person in self._of(tenant_id)
                 if (not where.department or person.department == where.department)
                 and (not where.status or person.status == where.status)
                 and (not where.skill or where.skill.strip().lower() in {name.lower() for name, _ in person.skills})
                 and (not where.role or where.role in person.roles_offered)
                 and (not where.q or person.email.startswith(where.q.strip().lower())
                      or person.name.lower().startswith(where.q.strip().lower()))]
        return _page(found, limit, after_id)

    def by_employee_id(self, tenant_id: str) -> dict[str, Person]:
        return {person.employee_id: person for person in self._of(tenant_id) if person.employee_id}

    def emails_without_employee_id(self, tenant_id: str) -> set[str]:
        return {person.email for person in self._of(tenant_id) if person.employee_id is None}

    def existing_ids(self, tenant_id: str, person_ids: set[str]) -> set[str]:
        return {person_id for person_id in person_ids if (tenant_id, person_id) in self.rows}

    def ids_by_employee_id(self, tenant_id: str, employee_ids: set[str]) -> dict[str, str]:
        return {person.employee_id: person.id for person in self._of(tenant_id) if person.employee_id in employee_ids}

    def manager_chain(self, tenant_id: str) -> dict[str, str | None]:
        return {person.employee_id: person.manager_employee_id for person in self._of(tenant_id) if person.employee_id}


class _ById:
    """A tenant's items by id: what programs, cohorts and enrollments have in common."""

    def __init__(self, *items):
        self.rows = {(item.tenant_id, item.id): item for item in items}

    def _put(self, item) -> None:
        self.rows[(item.tenant_id, item.id)] = item

    def _of(self, tenant_id: str) -> list:
        return [item for (tenant, _), item in self.rows.items() if tenant == tenant_id]


class FakePrograms(_ById):
    def add(self, program: Program) -> None:
        self._put(program)

    def save(self, program: Program) -> None:
        self._put(program)

    def get(self, tenant_id: str, program_id: str) -> Program | None:
        return self.rows.get((tenant_id, program_id))

    def list(self, tenant_id: str, limit: int, after_id: str | None) -> list[Program]:
        return _page(self._of(tenant_id), limit, after_id)


class FakeCohorts(_ById):
    def add(self, cohort: Cohort) -> None:
        self._put(cohort)

    def save(self, cohort: Cohort) -> None:
        self._put(cohort)

    def get(self, tenant_id: str, cohort_id: str, for_update: bool = False) -> Cohort | None:
        return self.rows.get((tenant_id, cohort_id))

    def list(self, tenant_id: str, limit: int, after_id: str | None, program_id: str | None = None,
             status: str | None = None) -> list[Cohort]:
        return _page([cohort for cohort in self._of(tenant_id) if (not program_id or cohort.program_id == program_id)
                      and (not status or cohort.status == status)], limit, after_id)


class FakeEnrollments(_ById):
    def add(self, enrollment: Enrollment) -> None:
        self._put(enrollment)

    def save(self, enrollment: Enrollment) -> None:
        self._put(enrollment)

    def get(self, tenant_id: str, enrollment_id: str) -> Enrollment | None:
        return self.rows.get((tenant_id, enrollment_id))

    def of_person(self, tenant_id: str, person_id: str) -> list[Enrollment]:
        return sorted((e for e in self._of(tenant_id) if e.person_id == person_id), key=lambda e: e.id)

    def is_enrolled(self, tenant_id: str, cohort_id: str, person_id: str, role: str) -> bool:
        return any(e.cohort_id == cohort_id and e.person_id == person_id and e.role == role and e.status == "enrolled"
                   for e in self._of(tenant_id))

    def list_in_cohort(self, tenant_id: str, cohort_id: str, limit: int, after_id: str | None,
                       role: str | None = None, status: str | None = None) -> list[Enrollment]:
        return _page([e for e in self._of(tenant_id) if e.cohort_id == cohort_id and (not role or e.role == role)
                      and (not status or e.status == status)], limit, after_id)


class FakeScimUsers:
    """Records by (tenant, person id). Searches ignore the SQL `condition`: every live User matches."""

    def __init__(self, people: FakePeople | None = None):
        self.records: dict[tuple[str, str], UserRecord] = {}
        self.people = people or FakePeople()

    def load(self, tenant_id: str, person_ids: list[str]) -> dict[str, UserRecord]:
        return {person_id: self.records[(tenant_id, person_id)] for person_id in person_ids
                if (tenant_id, person_id) in self.records}

    def holder_of_user_name(self, tenant_id: str, user_name: str) -> tuple[str, bool] | None:
        key = user_name_key(user_name)
        for (tenant, person_id), record in self.records.items():
            if tenant == tenant_id and user_name_key(record.user_name) == key:
                return person_id, record.deleted
        for person in self.people._of(tenant_id):
            if person.email == key and (tenant_id, person.id) not in self.records:
                return person.id, False
        return None

    def save(self, tenant_id: str, person_id: str, record: UserRecord, person_changed: bool,
             expected_revision: int | None = None) -> None:
        current = self.records.get((tenant_id, person_id))
        if expected_revision is not None and (current.revision if current else 0) != expected_revision:
            raise PreconditionFailed("the user changed meanwhile")
        revision = current.revision if current else 0
        if not person_changed and (current is None or not current.same_content(record)):
            revision += 1
        self.records[(tenant_id, person_id)] = replace(record, revision=revision)

    def forget(self, tenant_id: str, person_id: str) -> None:
        self.records.pop((tenant_id, person_id), None)

    def _live(self, tenant_id: str) -> list[str]:
        return sorted(person.id for person in self.people._of(tenant_id) if person.status != "erased"
                      and not getattr(self.records.get((tenant_id, person.id)), "deleted", False))

    def count_users(self, tenant_id: str, condition) -> int:
        return len(self._live(tenant_id))

    def user_ids(self, tenant_id: str, condition, offset: int, limit: int) -> list[str]:
        return self._live(tenant_id)[offset:offset + limit]


class FakeScimGroups:
    """Groups as row dicts by (tenant, id), members as sets. Searches ignore the SQL `condition`."""

    def __init__(self, people: FakePeople | None = None):
        self.groups: dict[tuple[str, str], dict] = {}
        self.members: dict[tuple[str, str], set[str]] = {}
        self.people = people or FakePeople()

    def get(self, tenant_id: str, group_id: str, for_update: bool = False) -> dict | None:
        group = self.groups.get((tenant_id, group_id))
        return dict(group) if group else None

    def members_of(self, tenant_id: str, group_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
        return {group_id: [(person_id, self.people.get(tenant_id, person_id).name)
                           for person_id in sorted(self.members.get((tenant_id, group_id), set()))
                           if self.people.get(tenant_id, person_id)] for group_id in group_ids}

    def name_taken(self, tenant_id: str, name: str, other_than: str | None = None) -> bool:
        return any(tenant == tenant_id and group["display_name"] == name and group_id != other_than
                   for (tenant, group_id), group in self.groups.items())

    def add(self, tenant_id: str, group_id: str, name: str, external_id: str | None, now: datetime) -> None:
        if self.name_taken(tenant_id, name):
            raise Conflict(f"a group named {name!r} exists")
        self.groups[(tenant_id, group_id)] = {"tenant_id": tenant_id, "id": group_id, "display_name": name,
                                              "external_id": external_id, "version": 1,
                                              "created_at": now, "updated_at": now}
        self.members[(tenant_id, group_id)] = set()

    def save(self, tenant_id: str, group_id: str, name: str, external_id: str | None, version: int,
             now: datetime) -> None:
        self.groups[(tenant_id, group_id)].update(display_name=name, external_id=external_id, version=version,
                                                  updated_at=now)

    def add_members(self, tenant_id: str, group_id: str, person_ids: set[str]) -> None:
        self.members.setdefault((tenant_id, group_id), set()).update(person_ids)

    def remove_members(self, tenant_id: str, group_id: str, person_ids: set[str]) -> None:
        self.members.get((tenant_id, group_id), set()).difference_update(person_ids)

    def remove(self, tenant_id: str, group_id: str) -> None:
        self.groups.pop((tenant_id, group_id), None)
        self.members.pop((tenant_id, group_id), None)

    def count(self, tenant_id: str, condition) -> int:
        return sum(1 for tenant, _ in self.groups if tenant == tenant_id)

    def page(self, tenant_id: str, condition, offset: int, limit: int) -> list[dict]:
        return [dict(self.groups[key]) for key in sorted(key for key in self.groups if key[0] == tenant_id)][
            offset:offset + limit]


class FakeScimTokens:
    def __init__(self):
        self.tokens: dict[tuple[str, str], dict] = {}

    def add(self, token: dict) -> None:
        self.tokens[(token["tenant_id"], token["id"])] = dict(token)

    def list(self, tenant_id: str) -> list[dict]:
        return [dict(token) for (tenant, _), token in sorted(self.tokens.items()) if tenant == tenant_id]

    def revoke(self, tenant_id: str, token_id: str, now: datetime) -> dict | None:
        token = self.tokens.get((tenant_id, token_id))
        if token is None:
            return None
        if token["revoked_at"] is None:
            token["revoked_at"] = now
        return dict(token)

    def tenant_of_live_token(self, token_hash: str) -> str | None:
        return next((token["tenant_id"] for token in self.tokens.values()
                     if token["token_hash"] == token_hash and token["revoked_at"] is None), None)


def fake_unit_of_work(*persons: Person) -> FakeUnitOfWork:
    """A FakeUnitOfWork with every profiles repository, the people given already registered."""
    people = FakePeople(*persons)
    return FakeUnitOfWork(source="/profiles", people=people, programs=FakePrograms(), cohorts=FakeCohorts(),
                          enrollments=FakeEnrollments(), scim_users=FakeScimUsers(people),
                          scim_groups=FakeScimGroups(people), scim_tokens=FakeScimTokens())
