"""The read-path bench's baseline: a minimal Flask + SQLAlchemy app reading the same `people` table
as profiles, with no authentication, no tenant from a token (the tenant is fixed by the bench),
no metrics, logs, OpenAPI or schemas. Served by gunicorn with the same settings as our API.
BASELINE_AUTOCOMMIT=1 reads without a transaction around the SELECT, as our API's reads do."""

import os
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, jsonify, request


def create_app() -> Flask:
    app = Flask(__name__)
    autocommit = {"isolation_level": "AUTOCOMMIT"} if os.environ.get("BASELINE_AUTOCOMMIT") else {}
    engine = sa.create_engine(os.environ["BASELINE_DATABASE_URL"], pool_size=5, **autocommit)
    tenant = os.environ["BASELINE_TENANT"]

    def as_json(row) -> dict:
        return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in row.items()}

    @app.get("/people/<person_id>")
    def person(person_id):
        with engine.connect() as connection:
            row = connection.execute(sa.text("SELECT * FROM people WHERE tenant_id = :t AND id = :id"),
                                     {"t": tenant, "id": person_id}).mappings().first()
        return (jsonify(as_json(row)), 200) if row else (jsonify({"detail": "not found"}), 404)

    @app.get("/people")
    def people():
        limit = int(request.args.get("limit", 50))
        with engine.connect() as connection:  # a keyset page, one row more to know if there is a next one
            rows = connection.execute(sa.text("SELECT * FROM people WHERE tenant_id = :t AND id > :after "
                                              "ORDER BY id LIMIT :n"),
                                      {"t": tenant, "after": request.args.get("cursor", ""), "n": limit + 1}).mappings().all()
        items = [as_json(row) for row in rows[:limit]]
        return jsonify({"items": items, "next_cursor": items[-1]["id"] if len(rows) > limit else None})

    return app
