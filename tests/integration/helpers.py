"""Small helpers for integration tests: counting rows in a service's database."""

from sqlalchemy import func, select


def count_rows(app, table_name: str, **where) -> int:
    runtime = app.extensions["runtime"]
    table = runtime.outbox.metadata.tables[table_name]
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with runtime.sessions() as session:
        return session.execute(query).scalar_one()


def new_person(**overrides) -> dict:
    import uuid

    suffix = uuid.uuid4().hex[:8]
    body = {"name": f"Person {suffix}", "email": f"person-{suffix}@example.com", "time_zone": "Europe/Paris",
            "employee_id": f"E-{suffix}"}
    body.update(overrides)
    return body
