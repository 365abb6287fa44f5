"""The pieces every `mentoring` command is built from, in the kit and in the tools package: click
command classes whose errors are one line and an exit status, the help's usage line, and a
SERVICE argument that knows the services installed here."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import click

from mentoring_shared import service_registry
from mentoring_shared.config import ConfigError


class _HelpFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "usage: " if prefix is None else prefix)


class MentoringContext(click.Context):
    formatter_class = _HelpFormatter


class MentoringCommand(click.Command):
    """A leaf command: an error the command reports (a bad setting, a value it cannot use) becomes
    one line on stderr and exit status 2, not a traceback. The command's return value is its exit
    status."""

    context_class = MentoringContext

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ConfigError as error:
            click.echo(str(error), err=True)
            return 2
        except ValueError as error:
            click.echo(f"{ctx.command_path}: {error}", err=True)
            return 2


class MentoringGroup(click.Group):
    """A group whose commands and subgroups are of these classes too."""

    context_class = MentoringContext
    command_class = MentoringCommand
    group_class: type[click.Group] | type[type] | None = type  # subgroups: this class


class ServiceName(click.ParamType):
    """A service installed here (its choices are looked up when the command runs, not at import)."""

    name = "service"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        installed = service_registry.installed_services()
        if value not in installed:
            self.fail(f"unknown service(s) {value}; services are {', '.join(installed) or 'none installed here'}",
                      param, ctx)
        return value

    def shell_complete(self, ctx: click.Context, param: click.Parameter, incomplete: str):
        from click.shell_completion import CompletionItem

        return [CompletionItem(name) for name in service_registry.installed_services() if name.startswith(incomplete)]

    def get_metavar(self, param: click.Parameter, ctx: click.Context | None = None) -> str:
        return "SERVICE"


SERVICE = ServiceName()


def chosen_services(services: Sequence[str], every: bool) -> list[str]:
    chosen = list(service_registry.installed_services()) if every else list(services)
    if not chosen:
        raise click.UsageError("name at least one service, or --all")
    return chosen


