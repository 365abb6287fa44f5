"""`mentoring`: the command a service image runs, and the root the tools package hangs its commands on.

The kit's own commands are those a service's image needs: its processes (`migrate`, `api`,
`worker`) and the operations on its own database or the broker (`token`, `replay-dead-letters`,
`outbox`). It finds the service's code through the entry points the service registers
(service_registry.py), never by importing it by name. Other installed packages add commands under
the `mentoring.commands` entry-point group: the tools package (tools/) adds `admin`, `demo`,
`import-people` and `broker`, so a developer's machine has them and a service image does not.

Shell completion is click's: `eval "$(_MENTORING_COMPLETE=bash_source mentoring)"` (zsh_source,
fish_source for those shells)."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from importlib.metadata import distributions, entry_points, version
from pathlib import Path

import click
import sqlalchemy.exc
from click.shell_completion import shell_complete

from mentoring_shared import service_registry
from mentoring_shared.command_line import SERVICE, MentoringGroup, chosen_services
from mentoring_shared.config import ConfigError, Environment, load_service_settings
from mentoring_shared.outbox_command import outbox

COMMANDS = "mentoring.commands"  # entry-point group of the commands other packages add
COMPLETE_VARIABLE = "_MENTORING_COMPLETE"


class PlatformCommands(MentoringGroup):
    """The root: the kit's commands and those registered under `mentoring.commands`, loaded only
    when named (a worker never imports the admin client)."""

    group_class = MentoringGroup

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *(entry.name for entry in entry_points(group=COMMANDS))})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is None:
            found = entry_points(group=COMMANDS, name=name)
            command = next(iter(found)).load() if found else None
        return command


def _versions(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    installed = sorted((dist.metadata["Name"], dist.version) for dist in distributions()
                       if (dist.metadata["Name"] or "").lower().startswith("mentoring-"))
    click.echo(f"mentoring {version('mentoring-shared')}")
    for name, number in installed:
        click.echo(f"  {name} {number}")
    ctx.exit(0)


@click.group(cls=PlatformCommands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_versions,
              help="Show the version of the command and of every mentoring package installed, and exit.")
def mentoring() -> None:
    """One command for every process of the mentoring platform and its chores. Each command has
    --help.

    \b
    Shell completion (bash; zsh_source or fish_source for those shells):
      eval "$(_MENTORING_COMPLETE=bash_source mentoring)"
    """


# --- a service's processes ---------------------------------------------------------------------

@mentoring.command()
@click.argument("services", nargs=-1, type=SERVICE)
@click.option("--all", "every", is_flag=True, help="Every service installed here.")
def migrate(services: tuple[str, ...], every: bool) -> int:
    """Bring services' databases to their latest migration."""
    from mentoring_shared.db.migrations import upgrade_to_head

    env = Environment()
    for service in chosen_services(services, every):
        variable = f"{service.upper()}_DATABASE_URL"
        try:
            upgrade_to_head(service_registry.migrations_dir(service), env.database_url(variable))
        except sqlalchemy.exc.DBAPIError as error:  # unreachable, refused, a path that does not exist
            raise ConfigError(variable, f"names a database that cannot be opened: {str(error.orig).strip()}") from None
        click.echo(f"{service}: database at the latest migration", err=True)
    return 0


@mentoring.command()
@click.argument("service", type=SERVICE)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
def api(service: str, host: str) -> int:
    """Serve a service's HTTP API under gunicorn (WEB_CONCURRENCY sync workers)."""
    settings = load_service_settings(service)  # fail here, with the variable's name, not in a worker
    workers = Environment().integer("WEB_CONCURRENCY", os.cpu_count() or 2, minimum=1)
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    metrics_dir = Path(given or Path(os.environ.get("VAR_DIR", "var")) / "metrics" / f"{service}-api")
    if not given:  # ours to manage: samples of a previous run are not this run's
        shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir.resolve())
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
    argv = [gunicorn or "gunicorn", "-c", "python:mentoring_shared.web.gunicorn_hooks",
            "--bind", f"{host}:{settings.http_port}", "--workers", str(workers),
            "--name", f"{service}-api", service_registry.app_spec(service)]
    os.execv(argv[0], argv)
    return 0  # not reached


@mentoring.command()
@click.argument("service", type=SERVICE)
@click.option("--host", default="127.0.0.1", show_default=True, help="The address its /metrics listens on.")
def worker(service: str, host: str) -> int:
    """Run a service's outbox relay and event consumers."""
    load_service_settings(service, serves_http=False)  # fail here, with the variable's name
    service_registry.worker_builder(service)().run_forever(metrics_host=host)
    return 0


# --- operations on the broker and a service's own database ---------------------------------------

@mentoring.command()
@click.option("--tenant", required=True)
@click.option("--role", "roles", required=True, multiple=True, help="Repeat for several roles.")
@click.option("--sub", required=True, help="The subject: a person id or work email, or a client name.")
@click.option("--ttl", type=int, default=12 * 3600, show_default=True, help="Seconds.")
def token(tenant: str, roles: tuple[str, ...], sub: str, ttl: int) -> int:
    """Print a bearer token signed with AUTH_JWT_SECRET (the embedded default)."""
    from mentoring_shared.web.auth import issue_dev_token

    env = Environment()
    secret = env.string("AUTH_JWT_SECRET")
    click.echo(issue_dev_token(secret, tenant, list(roles), sub, ttl_s=ttl,
                               issuer=env.raw("AUTH_ISSUER"), audience=env.raw("AUTH_AUDIENCE")))
    return 0


@mentoring.command("replay-dead-letters")
@click.argument("topic")
@click.option("--group", help="Only the dead letters of this consumer group.")
def replay_dead_letters(topic: str, group: str | None) -> int:
    """Republish a topic's dead letters to it; groups that applied an event already skip it."""
    from mentoring_shared.config import KafkaSettings
    from mentoring_shared.messaging.dead_letters import replay_dead_letters as replay

    settings = KafkaSettings(bootstrap_servers=Environment().bootstrap_servers("KAFKA_BOOTSTRAP_SERVERS"))
    count = replay(settings, topic, group=group)
    click.echo(f"replayed {count} dead letter(s) to {topic}")
    return 0


mentoring.add_command(outbox)


# --- running it ----------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    """Run `mentoring` with these arguments; the exit status. --help and --version end with
    SystemExit(0), as every command line's help does."""
    args = sys.argv[1:] if argv is None else list(argv)
    try:
        with mentoring.make_context("mentoring", args) as ctx:
            status = mentoring.invoke(ctx)
    except click.exceptions.Exit as done:
        raise SystemExit(done.exit_code) from None
    except click.ClickException as error:  # a usage error: shown with the usage line
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("Aborted!", err=True)
        return 1
    return status if isinstance(status, int) else 0


def run() -> None:
    """The console script: shell completion when _MENTORING_COMPLETE asks for it, else `main`."""
    instruction = os.environ.get(COMPLETE_VARIABLE)
    if instruction:
        sys.exit(shell_complete(mentoring, {}, "mentoring", COMPLETE_VARIABLE, instruction))
    sys.exit(main())


if __name__ == "__main__":
    run()
