"""`mentoring demo`: the whole journey on the running platform, in a tenant of its own, with tokens
signed by AUTH_JWT_SECRET (the embedded default's secret, as `mentoring token` uses)."""

from __future__ import annotations

import sys
import uuid

import click

from mentoring_shared.command_line import MentoringCommand
from mentoring_shared.config import Environment


@click.command(cls=MentoringCommand)
@click.option("--people", type=int, default=300, show_default=True, help="People in the HR file.")
@click.option("--sessions", type=int, default=12, show_default=True, help="Kickoffs held during the demo.")
@click.option("--tenant", help="The tenant to use (default: a new demo-<random> tenant).")
@click.option("--gateway", metavar="URL", help="One gateway for every service (as for `mentoring admin`).")
@click.option("--wait", type=float, default=180.0, show_default=True, metavar="SECONDS",
              help="Longest wait for events between services at any step.")
def demo(people: int, sessions: int, tenant: str | None, gateway: str | None, wait: float) -> int:
    """Walk a program's whole journey on the running platform, through the public APIs: an HR file
    imported, a cohort matched, sessions held, feedback given, a drifting pair rematched, the report."""
    from mentoring_shared.web.auth import issue_dev_token
    from mentoring_tools.admin.client import AdminError, PlatformClient, service_urls
    from mentoring_tools.demo.journey import Journey

    env = Environment()
    secret = env.string("AUTH_JWT_SECRET")
    tenant = tenant or f"demo-{uuid.uuid4().hex[:8]}"
    urls = service_urls(gateway)

    def client_for(roles: tuple[str, ...], subject: str) -> PlatformClient:
        token = issue_dev_token(secret, tenant, list(roles), subject, issuer=env.raw("AUTH_ISSUER"),
                                audience=env.raw("AUTH_AUDIENCE"))
        return PlatformClient(urls, token, read_timeout_s=60.0)

    print(f"The whole journey of a mentoring program, in tenant {tenant} ({', '.join(urls.values())})\n")
    try:
        Journey(tenant, client_for, people=people, sessions=sessions, out=sys.stdout, timeout_s=wait).run()
    except (AdminError, TimeoutError, RuntimeError) as error:
        print(f"mentoring demo: {error}", file=sys.stderr)
        return getattr(error, "exit_code", 1)
    return 0
