"""`mentoring demo`: the whole journey on the running platform, in a tenant of its own, with tokens
signed by AUTH_JWT_SECRET (the embedded default's secret, as `mentoring token` uses)."""

from __future__ import annotations

import sys
import uuid

from mentoring_shared.config import Environment


def cmd_demo(args) -> int:
    from mentoring_shared.admin.client import AdminError, PlatformClient, service_urls
    from mentoring_shared.demo.journey import Journey
    from mentoring_shared.web.auth import issue_dev_token

    env = Environment()
    secret = env.string("AUTH_JWT_SECRET")
    tenant = args.tenant or f"demo-{uuid.uuid4().hex[:8]}"
    urls = service_urls(args.gateway)

    def client_for(roles: tuple[str, ...], subject: str) -> PlatformClient:
        token = issue_dev_token(secret, tenant, list(roles), subject, issuer=env.raw("AUTH_ISSUER"),
                                audience=env.raw("AUTH_AUDIENCE"))
        return PlatformClient(urls, token, read_timeout_s=60.0)

    print(f"The whole journey of a mentoring program, in tenant {tenant} ({', '.join(urls.values())})\n")
    try:
        Journey(tenant, client_for, people=args.people, sessions=args.sessions, out=sys.stdout,
                timeout_s=args.wait).run()
    except (AdminError, TimeoutError, RuntimeError) as error:
        print(f"mentoring demo: {error}", file=sys.stderr)
        return getattr(error, "exit_code", 1)
    return 0


def add_demo_parser(commands) -> None:
    demo = commands.add_parser("demo", help="walk a program's whole journey on the running platform",
                               description=__doc__)
    demo.add_argument("--people", type=int, default=300, help="people in the HR file (default %(default)s)")
    demo.add_argument("--sessions", type=int, default=12, help="kickoffs held during the demo (default %(default)s)")
    demo.add_argument("--tenant", help="the tenant to use (default: a new demo-<random> tenant)")
    demo.add_argument("--gateway", metavar="URL", help="one gateway for every service (as for `mentoring admin`)")
    demo.add_argument("--wait", type=float, default=180.0, metavar="SECONDS",
                      help="longest wait for events between services at any step (default %(default).0f)")
    demo.set_defaults(run=cmd_demo)
