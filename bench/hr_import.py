"""HR import into PostgreSQL: a seeded, Workday-shaped file of 100,000 people (departments, manager
chains, skills, languages, time zones), imported in one transaction with its events; then the same
file with a tenth of the people changed (moves, leavers, new titles).

Target (issue 3): at most 30 s and 1 GiB for the 100,000-person import, events included."""

from __future__ import annotations

import os
import random
import resource
import time

from mentoring_shared.config import load_service_settings
from mentoring_shared.runtime import ServiceRuntime
from mentoring_testing.fixtures import migrated_databases, platform_environment
from mentoring_testing.servers import PostgresServer
from profiles import orm
from profiles.handlers.hr_import import import_people
from profiles.hr_import import WORKDAY
from profiles.unit_of_work import ProfilesUnitOfWork

PEOPLE = int(os.environ.get("BENCH_HR_PEOPLE", "100000"))
HEADER = ("Employee_ID,Worker,Work_Email,Business_Title,Supervisory_Organization,Manager_ID,Location,Time_Zone,"
          "Languages,Job_Level,Skills,Worker_Status\n")
ZONES = ["Europe/Paris", "Europe/London", "America/New_York", "America/Los_Angeles", "Asia/Singapore",
         "Asia/Kolkata", "Australia/Sydney", "America/Sao_Paulo"]
SKILLS = ["Python", "SQL", "Kafka", "Negotiation", "Public Speaking", "Go", "Design", "Finance", "Leadership", "Rust"]
LEVELS = ["beginner", "intermediate", "advanced", "expert"]
TITLES = ["Engineer", "Senior Engineer", "Analyst", "Designer", "Manager", "Director"]


def generate(people: int, seed: int = 7, changed_share: float = 0.0) -> bytes:
    """A file where managers (every 10th person reports to the 10th before it) come after some of
    their reports, as real exports do; `changed_share` of people get a change."""
    rng = random.Random(seed)
    change = random.Random(seed + 1)
    lines = [HEADER]
    for number in range(people):
        manager = "" if number < 10 else f"E{(number // 10) - 1 if number % 10 else number - 10}"
        department, title, status = f"Dept {number % 200}", TITLES[number % len(TITLES)], "Active"
        if changed_share and change.random() < changed_share:
            kind = change.choice(["move", "title", "leave"])
            department = f"Dept {(number + 7) % 200}" if kind == "move" else department
            title = "Principal" if kind == "title" else title
            status = "Terminated" if kind == "leave" else status
        skills = "; ".join(f"{skill}:{rng.choice(LEVELS)}" for skill in rng.sample(SKILLS, 3))
        lines.append(f"E{number},Person {number},p{number}@acme.example,{title},{department},{manager},Site "
                     f"{number % 30},{ZONES[number % len(ZONES)]},en; fr,{1 + number % 10},{skills},{status}\n")
    return "".join(lines).encode()


def run() -> dict:
    server = PostgresServer.start()
    try:
        urls = migrated_databases(server, ("profiles",))
        runtime = ServiceRuntime.build(load_service_settings("profiles", platform_environment(urls, "127.0.0.1:1"),
                                                            serves_http=False), orm.metadata,
                                       unit_of_work_class=ProfilesUnitOfWork)
        first_file = generate(PEOPLE)
        started = time.perf_counter()
        first = import_people("bench", first_file, WORKDAY, dry_run=False, uow=runtime.unit_of_work())
        first_seconds = time.perf_counter() - started
        peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        second_file = generate(PEOPLE, changed_share=0.1)
        started = time.perf_counter()
        second = import_people("bench", second_file, WORKDAY, dry_run=False, uow=runtime.unit_of_work())
        second_seconds = time.perf_counter() - started
        with runtime.engine.connect() as connection:
            from sqlalchemy import text
            events = connection.execute(text("SELECT count(*) FROM outbox")).scalar_one()
        runtime.engine.dispose()
        return {"bytes": len(first_file), "first": first.summary, "first_s": first_seconds, "peak_mib": peak_mib,
                "second": second.summary, "second_s": second_seconds, "events": events}
    finally:
        server.drop_all()


def report(result: dict) -> str:
    from bench.results import machine

    first, second = result["first"], result["second"]
    return f"""## HR import (issue 3)

{machine()}. PostgreSQL 127.0.0.1; the import runs in-process (what `POST /v1/hr-imports` and
`mentoring import-people` call), parse, plan and apply in one transaction with the outbox events.

| measure | value |
|---|---|
| first import: {first['creates']:,} people ({result['bytes'] / 1e6:.1f} MB file) | {result['first_s']:.1f} s, {first['creates'] / result['first_s']:,.0f} rows/s (target 30 s) |
| peak memory of the process (ru_maxrss) | {result['peak_mib']:,.0f} MiB (target 1 GiB) |
| re-import with a tenth changed: {second['updates']:,} updates, {second['moves']:,} moves, {second['deactivations']:,} leavers, {second['unchanged']:,} unchanged | {result['second_s']:.1f} s |
| events written to the outbox by both imports | {result['events']:,} |
"""


def main() -> None:
    from bench.results import record

    text = report(run())
    print(text)
    record("hr_import", text)


if __name__ == "__main__":
    main()
