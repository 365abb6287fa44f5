"""`mentoring`: one command for every process of the platform and its chores.

    mentoring migrate profiles matching ...   run a service's migrations (or --all)
    mentoring api profiles                    serve a service's HTTP API under gunicorn
    mentoring worker profiles                 run a service's outbox relay and consumers
    mentoring broker --listen 127.0.0.1:19092 run the embedded Kafka-compatible broker (tansu)
    mentoring token --tenant T --role R --sub S   print a bearer token (embedded default)
    mentoring replay-dead-letters TOPIC       republish a topic's dead letters
    mentoring outbox status|republish ...     a service's outbox; send sent events again (outbox --help)
    mentoring import-people --tenant T --preset workday FILE   import an HR file (progress bar)
    mentoring admin ...                       program chores through the public HTTP APIs (admin --help)
    mentoring demo                            a program's whole journey on the running platform (`make demo`)
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import sys
from pathlib import Path

import sqlalchemy.exc

from mentoring_shared.admin.commands import add_admin_parser
from mentoring_shared.demo.command import add_demo_parser
from mentoring_shared.outbox_command import add_outbox_parser
from mentoring_shared.config import DEFAULT_PORTS, ConfigError, Environment, load_service_settings

SERVICES = tuple(DEFAULT_PORTS)


def _service_package(service: str):
    return importlib.import_module(service)


def migrations_dir(service: str) -> Path:
    return Path(_service_package(service).__file__).parent / "migrations"


def cmd_migrate(args) -> int:
    from mentoring_shared.db.migrations import upgrade_to_head

    services = SERVICES if args.all else args.services
    if not services:
        raise ValueError("name at least one service, or --all")
    unknown = sorted(set(services) - set(SERVICES))
    if unknown:
        raise ValueError(f"unknown service(s) {', '.join(unknown)}; services are {', '.join(SERVICES)}")
    env = Environment()
    for service in services:
        variable = f"{service.upper()}_DATABASE_URL"
        try:
            upgrade_to_head(migrations_dir(service), env.database_url(variable))
        except sqlalchemy.exc.DBAPIError as error:  # unreachable, refused, a path that does not exist
            raise ConfigError(variable, f"names a database that cannot be opened: {str(error.orig).strip()}") from None
        print(f"{service}: database at the latest migration", file=sys.stderr)
    return 0


def cmd_api(args) -> int:
    settings = load_service_settings(args.service)  # fail here, with the variable's name, not in a worker
    workers = Environment().integer("WEB_CONCURRENCY", os.cpu_count() or 2, minimum=1)
    metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not metrics_dir:  # ours to manage: samples of a previous run are not this run's
        metrics_dir = Path(os.environ.get("VAR_DIR", "var")) / "metrics" / f"{args.service}-api"
        shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir = Path(metrics_dir)
    metrics_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir.resolve())
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    argv = [gunicorn or "gunicorn", "-c", "python:mentoring_shared.web.gunicorn_hooks",
            "--bind", f"{args.host}:{settings.http_port}", "--workers", str(workers),
            "--name", f"{args.service}-api", f"{args.service}.app:create_app()"]
    os.execv(argv[0], argv)
    return 0  # not reached


def cmd_worker(args) -> int:
    load_service_settings(args.service, serves_http=False)  # fail here, with the variable's name
    importlib.import_module(f"{args.service}.worker").build_worker().run_forever(metrics_host=args.host)
    return 0


def cmd_broker(args) -> int:
    from mentoring_shared.messaging.local_broker import exec_broker

    exec_broker(args.listen)
    return 0


def cmd_token(args) -> int:
    from mentoring_shared.web.auth import issue_dev_token

    env = Environment()
    secret = env.string("AUTH_JWT_SECRET")
    print(issue_dev_token(secret, args.tenant, args.role, args.sub, ttl_s=args.ttl,
                          issuer=env.raw("AUTH_ISSUER"), audience=env.raw("AUTH_AUDIENCE")))
    return 0


def cmd_replay(args) -> int:
    from mentoring_shared.config import KafkaSettings
    from mentoring_shared.messaging.dead_letters import replay_dead_letters

    settings = KafkaSettings(bootstrap_servers=Environment().bootstrap_servers("KAFKA_BOOTSTRAP_SERVERS"))
    count = replay_dead_letters(settings, args.topic, group=args.group)
    print(f"replayed {count} dead letter(s) to {args.topic}")
    return 0


def cmd_import_people(args) -> int:
    from profiles.admin import import_people_file

    return import_people_file(args.file, args.tenant, args.preset, args.mapping, args.dry_run)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="mentoring", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)

    migrate = commands.add_parser("migrate", help="bring services' databases to the latest migration")
    migrate.add_argument("services", nargs="*", metavar="SERVICE", help=f"one of {', '.join(SERVICES)}")
    migrate.add_argument("--all", action="store_true", help="every service")
    migrate.set_defaults(run=cmd_migrate)

    api = commands.add_parser("api", help="serve a service's HTTP API under gunicorn")
    api.add_argument("service", choices=SERVICES)
    api.add_argument("--host", default="127.0.0.1")
    api.set_defaults(run=cmd_api)

    worker = commands.add_parser("worker", help="run a service's outbox relay and event consumers")
    worker.add_argument("service", choices=SERVICES)
    worker.add_argument("--host", default="127.0.0.1", help="the address its /metrics listens on (default %(default)s)")
    worker.set_defaults(run=cmd_worker)

    broker = commands.add_parser("broker", help="run the embedded Kafka-compatible broker (tansu, in memory)")
    broker.add_argument("--listen", default="127.0.0.1:19092", help="host:port (default %(default)s)")
    broker.set_defaults(run=cmd_broker)

    token = commands.add_parser("token", help="print a bearer token signed with AUTH_JWT_SECRET")
    token.add_argument("--tenant", required=True)
    token.add_argument("--role", required=True, action="append", help="repeat for several roles")
    token.add_argument("--sub", required=True, help="the subject: a person id or a client name")
    token.add_argument("--ttl", type=int, default=12 * 3600, help="seconds (default %(default)s)")
    token.set_defaults(run=cmd_token)

    replay = commands.add_parser("replay-dead-letters", help="republish a topic's dead letters to it")
    replay.add_argument("topic")
    replay.add_argument("--group", help="only the dead letters of this consumer group")
    replay.set_defaults(run=cmd_replay)

    importing = commands.add_parser("import-people", help="import an HR file into profiles (PROFILES_DATABASE_URL)")
    importing.add_argument("file", help="the HR export, UTF-8 CSV")
    importing.add_argument("--tenant", required=True)
    importing.add_argument("--preset", choices=["workday", "bamboohr"], help="the vendor's column names")
    importing.add_argument("--mapping", help="a JSON file: our field -> the file's column header")
    importing.add_argument("--dry-run", action="store_true", help="report what would change, write nothing")
    importing.set_defaults(run=cmd_import_people)

    add_outbox_parser(commands, SERVICES)
    add_admin_parser(commands)
    add_demo_parser(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as error:
        print(error, file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"mentoring {args.command}: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
