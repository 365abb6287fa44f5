"""People, searched by department, skill, offered role, status and the start of a name or email."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mentoring_shared.db.bulk import insert_many
from mentoring_shared.db.dialects import dialect_insert, json_list_has
from mentoring_shared.db.row_dicts import first_row_dict, row_dicts
from mentoring_shared.errors import Conflict
from profiles.domain.people import Person, WorkingHours
from profiles.orm import people

# What a Person is read from: the search keys are the skills' names again, for the database only.
_PERSON_COLUMNS = [column for column in people.c if column.name != "skill_keys"]
# Built once: the most frequent read, and building a statement costs more than running a cached one.
_ONE_PERSON = select(*_PERSON_COLUMNS).where(people.c.tenant_id == bindparam("tenant_id"),
                                             people.c.id == bindparam("person_id"))


@dataclass(frozen=True)
class PeopleFilter:
    department: str | None = None
    skill: str | None = None
    role: str | None = None        # a mentoring role the person offers
    status: str | None = None
    q: str | None = None           # the start of a name or an email


class PeopleRepository:
    # Reads (`get`, `list`) also run on a bare Connection: a single-statement read needs no session.
    def __init__(self, session: Session | Connection):
        self._session = session

    def _writes(self) -> Session:
        """The unit of work's session: a plain connection is for single-statement reads only."""
        if not isinstance(self._session, Session):
            raise TypeError("people are written through a unit of work's session, not a read connection")
        return self._session

    def add(self, person: Person) -> None:
        """Insert a new person. Raises Conflict, naming the fields, if another person in the tenant
        has the employee id or email: the unique indexes decide, so concurrent requests cannot race."""
        # The values travel as parameters of a statement whose shape never changes: SQLAlchemy then
        # reuses its compiled form, where `.values(**row)` made it build and key 20 literals first.
        inserted = self._session.execute(dialect_insert(self._writes(), people).on_conflict_do_nothing()
                                         .returning(people.c.id), _row(person)).first()
        if inserted is None:
            raise self._conflict(person)

    def save(self, person: Person) -> None:
        """Store a changed person; an employee id or email taken by someone else is a Conflict."""
        if self.conflicting(person.tenant_id, person.employee_id, person.email, person.id):
            raise self._conflict(person)
        try:
            self._session.execute(update(people).where(people.c.tenant_id == person.tenant_id,
                                                       people.c.id == person.id), _row(person))
        except IntegrityError:  # a concurrent change took it between the check and the write
            raise Conflict("another person in this tenant now has this employee id or email") from None

    def add_many(self, persons: list[Person]) -> None:
        """Insert new people in one go: an HR import's creates, planned against
        the tenant's people; a concurrent write of the same identity fails the whole batch."""
        if not persons:
            return
        try:
            insert_many(self._writes(), people, [_row(person) for person in persons])
        except IntegrityError:
            raise Conflict("someone else registered some of these people meanwhile; import the file again") from None

    def save_many(self, persons: list[Person]) -> None:
        """Store changed people in one statement per table (an HR import's changes)."""
        if not persons:
            return
        rows = [{**_row(person), "key_tenant": person.tenant_id, "key_id": person.id} for person in persons]
        statement = update(people).where(people.c.tenant_id == bindparam("key_tenant"),
                                         people.c.id == bindparam("key_id"))
        try:
            # a Session hands over its connection for the executemany; a bare Connection is one
            connection = self._session.connection() if isinstance(self._session, Session) else self._session
            connection.execute(statement, rows)
        except IntegrityError:
            raise Conflict("these changes give an employee id or email to two people at once; "
                           "import the file again") from None

    def get(self, tenant_id: str, person_id: str, for_update: bool = False) -> Person | None:
        query = _ONE_PERSON.with_for_update() if for_update else _ONE_PERSON
        row = first_row_dict(self._session.execute(query, {"tenant_id": tenant_id, "person_id": person_id}))
        return _person(row) if row else None

    def conflicting(self, tenant_id: str, employee_id: str | None, email: str,
                    other_than: str | None = None) -> list[str]:
        """Which unique fields (`employee_id`, `email`) another person in the tenant already holds."""
        clauses = [people.c.email == email]
        if employee_id:
            clauses.append(people.c.employee_id == employee_id)
        query = select(people.c.employee_id, people.c.email).where(people.c.tenant_id == tenant_id, or_(*clauses))
        if other_than:
            query = query.where(people.c.id != other_than)
        taken = set()
        for row in self._session.execute(query):
            if employee_id and row.employee_id == employee_id:
                taken.add("employee_id")
            if row.email == email:
                taken.add("email")
        return sorted(taken)

    def list(self, tenant_id: str, limit: int, after_id: str | None,
             where: PeopleFilter = PeopleFilter()) -> list[Person]:
        query = select(*_PERSON_COLUMNS).where(people.c.tenant_id == tenant_id)
        if where.department:
            query = query.where(people.c.department == where.department)
        if where.status:
            query = query.where(people.c.status == where.status)
        if where.skill:
            query = query.where(json_list_has(self._session, people.c.skill_keys, where.skill.strip().lower()))
        if where.role:
            query = query.where(json_list_has(self._session, people.c.roles_offered, where.role))
        if where.q:
            prefix = where.q.strip().lower().replace("%", "").replace("_", "") + "%"
            query = query.where(or_(people.c.email.like(prefix), people.c.name.ilike(prefix)))
        if after_id:
            query = query.where(people.c.id > after_id)
        return [_person(row) for row in row_dicts(self._session.execute(query.order_by(people.c.id).limit(limit)))]

    def by_employee_id(self, tenant_id: str) -> dict[str, Person]:
        """Every person of the tenant who has an employee id, by it (what an HR import plans against)."""
        rows = row_dicts(self._session.execute(select(*_PERSON_COLUMNS).where(
            people.c.tenant_id == tenant_id, people.c.employee_id.is_not(None))))
        return {row["employee_id"]: _person(row) for row in rows}

    def emails_without_employee_id(self, tenant_id: str) -> set[str]:
        """Emails held by people the HR file cannot name (no employee id): an import must not take them."""
        return set(self._session.execute(select(people.c.email).where(
            people.c.tenant_id == tenant_id, people.c.employee_id.is_(None))).scalars())

    def existing_ids(self, tenant_id: str, person_ids: set[str]) -> set[str]:
        """Which of these ids are people of the tenant."""
        found: set[str] = set()
        ordered = sorted(person_ids)
        for chunk in range(0, len(ordered), 1000):  # bounded IN lists
            found |= set(self._session.execute(select(people.c.id).where(
                people.c.tenant_id == tenant_id, people.c.id.in_(ordered[chunk:chunk + 1000]))).scalars())
        return found

    def ids_by_employee_id(self, tenant_id: str, employee_ids: set[str]) -> dict[str, str]:
        """employee id -> person id, for those of these employee ids the tenant's people have."""
        if not employee_ids:
            return {}
        rows = self._session.execute(select(people.c.employee_id, people.c.id).where(
            people.c.tenant_id == tenant_id, people.c.employee_id.in_(sorted(employee_ids))))
        return {row.employee_id: row.id for row in rows}

    def manager_chain(self, tenant_id: str) -> "ManagerLookup":
        return ManagerLookup(self._session, tenant_id)

    def _conflict(self, person: Person) -> Conflict:
        taken = self.conflicting(person.tenant_id, person.employee_id, person.email, person.id)
        return Conflict(f"another person in this tenant already has this {' and '.join(taken) or 'identity'}",
                        fields=taken)


class ManagerLookup:
    """`employee id -> manager's employee id` for one tenant, read one link at a time (chains are
    short), in the shape the domain's manager-chain check expects (ManagerOf)."""

    def __init__(self, session: Session | Connection, tenant_id: str):
        self._session, self._tenant_id = session, tenant_id

    def _row(self, employee_id: str):
        return self._session.execute(select(people.c.manager_employee_id).where(
            people.c.tenant_id == self._tenant_id, people.c.employee_id == employee_id)).first()

    def __contains__(self, employee_id: str) -> bool:
        return self._row(employee_id) is not None

    def get(self, employee_id: str) -> str | None:
        row = self._row(employee_id)
        return row.manager_employee_id if row else None


def _row(person: Person) -> dict:
    return {"tenant_id": person.tenant_id, "id": person.id, "employee_id": person.employee_id,
            "name": person.name, "email": person.email, "time_zone": person.time_zone,
            "status": person.status, "version": person.version,
            "created_at": person.created_at, "updated_at": person.updated_at,
            "title": person.title, "department": person.department,
            "manager_employee_id": person.manager_employee_id, "location": person.location,
            "languages": list(person.languages), "seniority_band": person.seniority_band,
            "skills": [{"name": name, "level": level} for name, level in person.skills],
            "interests": list(person.interests), "goals": list(person.goals), "goals_text": person.goals_text,
            "roles_offered": list(person.roles_offered), "roles_wanted": list(person.roles_wanted),
            "working_hours": person.working_hours.as_dict(), "mentor_capacity": person.mentor_capacity,
            "skill_keys": [name.lower() for name, _ in person.skills]}  # one per name (the domain sees to it)


def _person(values: dict) -> Person:
    """A person from a row dict (db.row_dicts: keys fit for keyword arguments), which it takes over."""
    hours = values["working_hours"] or {}
    values.update(languages=tuple(values["languages"]), interests=tuple(values["interests"]),
                  goals=tuple(values["goals"]), roles_offered=tuple(values["roles_offered"]),
                  roles_wanted=tuple(values["roles_wanted"]),
                  skills=tuple([(skill["name"], skill["level"]) for skill in values["skills"]]),
                  working_hours=WorkingHours(start=hours.get("start", "09:00"), end=hours.get("end", "17:00"),
                                             days=tuple(hours.get("days", (1, 2, 3, 4, 5)))))
    return Person(**values)
