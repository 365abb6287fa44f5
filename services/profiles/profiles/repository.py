"""Reading and writing people, always within one tenant."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mentoring_shared.db.dialects import dialect_insert
from mentoring_shared.errors import Conflict

from profiles.domain import Person
from profiles.orm import people


class PeopleRepository:
    def __init__(self, session: Session):
        self._session = session

    def add(self, person: Person) -> None:
        """Insert a new person. Raises Conflict, naming the fields, if another person in the tenant
        has the employee id or email: the unique indexes decide, so concurrent requests cannot race."""
        inserted = self._session.execute(dialect_insert(self._session, people).values(**_row(person))
                                         .on_conflict_do_nothing().returning(people.c.id)).first()
        if inserted is None:
            taken = self.conflicting(person.tenant_id, person.employee_id, person.email)
            raise Conflict(f"another person in this tenant already has this {' and '.join(taken) or 'identity'}",
                           fields=taken)

    def get(self, tenant_id: str, person_id: str) -> Person | None:
        row = self._session.execute(select(people).where(
            people.c.tenant_id == tenant_id, people.c.id == person_id)).mappings().first()
        return Person(**row) if row else None

    def conflicting(self, tenant_id: str, employee_id: str | None, email: str) -> list[str]:
        """Which unique fields (`employee_id`, `email`) another person in the tenant already holds."""
        clauses = [people.c.email == email]
        if employee_id:
            clauses.append(people.c.employee_id == employee_id)
        rows = self._session.execute(select(people.c.employee_id, people.c.email)
                                     .where(people.c.tenant_id == tenant_id, or_(*clauses))).all()
        taken = set()
        for row in rows:
            if employee_id and row.employee_id == employee_id:
                taken.add("employee_id")
            if row.email == email:
                taken.add("email")
        return sorted(taken)

    def list(self, tenant_id: str, limit: int, after_id: str | None) -> list[Person]:
        query = select(people).where(people.c.tenant_id == tenant_id)
        if after_id:
            query = query.where(people.c.id > after_id)
        rows = self._session.execute(query.order_by(people.c.id).limit(limit)).mappings().all()
        return [Person(**row) for row in rows]


def _row(person: Person) -> dict:
    return {"tenant_id": person.tenant_id, "id": person.id, "employee_id": person.employee_id,
            "name": person.name, "email": person.email, "time_zone": person.time_zone,
            "status": person.status, "version": person.version,
            "created_at": person.created_at, "updated_at": person.updated_at}
