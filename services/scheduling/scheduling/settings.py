"""Scheduling's own settings, beside the platform's (see mentoring_shared.config).

Calendar fetching reads URLs people give us, so what it may reach is configured here and nowhere
else: an allow-list of hosts (empty: no URL calendars at all), whether plain http is allowed (only
for tests and closed networks), and the size and time limits of one fetch."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from mentoring_shared.config import ConfigError, Environment
from scheduling.availability import MAX_CALENDAR_BYTES
from scheduling.calendar_entries import DEFAULT_ORGANIZER
from scheduling.calendars.entries import Participant
from scheduling.calendars.fetching import FetchPolicy

HORIZON_DAYS_VARIABLE = "SCHEDULING_CALENDAR_HORIZON_DAYS"
ALLOWED_HOSTS_VARIABLE = "SCHEDULING_CALENDAR_ALLOWED_HOSTS"
ALLOW_HTTP_VARIABLE = "SCHEDULING_CALENDAR_ALLOW_HTTP"
MAX_BYTES_VARIABLE = "SCHEDULING_CALENDAR_MAX_BYTES"
CONNECT_TIMEOUT_VARIABLE = "SCHEDULING_CALENDAR_CONNECT_TIMEOUT_SECONDS"
READ_TIMEOUT_VARIABLE = "SCHEDULING_CALENDAR_READ_TIMEOUT_SECONDS"
TOTAL_TIMEOUT_VARIABLE = "SCHEDULING_CALENDAR_TOTAL_TIMEOUT_SECONDS"
FEED_BASE_URL_VARIABLE = "SCHEDULING_FEED_BASE_URL"
ORGANIZER_NAME_VARIABLE = "SCHEDULING_ORGANIZER_NAME"
ORGANIZER_EMAIL_VARIABLE = "SCHEDULING_ORGANIZER_EMAIL"
REMINDER_LEADS_VARIABLE = "SCHEDULING_REMINDER_LEAD_MINUTES"

# The largest calendar file accepted at all; an upload's whole body may be a little larger (the
# multipart envelope). SCHEDULING_CALENDAR_MAX_BYTES may lower the limit, not raise it past this.
CALENDAR_BYTES_CEILING = 16 * 1024 * 1024


@dataclass(frozen=True)
class SchedulingSettings:
    calendar_horizon_days: int  # how far ahead a calendar's busy time is read
    calendar_fetch: FetchPolicy  # what a calendar URL may reach, and the limits of one fetch
    calendar_max_bytes: int  # the largest calendar file read, uploaded or fetched
    feed_base_url: str | None  # how calendar apps reach this API (None: the request's own host)
    organizer: Participant  # ORGANIZER of sessions in feeds and invitations: the platform's mailbox
    reminder_lead_minutes: tuple[int, ...]  # reminders go out this many minutes before a session


def load_scheduling_settings(environ: Mapping[str, str] | None = None) -> SchedulingSettings:
    env = Environment(environ)
    max_bytes = env.integer(MAX_BYTES_VARIABLE, default=MAX_CALENDAR_BYTES, minimum=1024,
                            maximum=CALENDAR_BYTES_CEILING)
    connect_s = env.integer(CONNECT_TIMEOUT_VARIABLE, default=5, minimum=1, maximum=120)
    read_s = env.integer(READ_TIMEOUT_VARIABLE, default=10, minimum=1, maximum=300)
    total_s = env.integer(TOTAL_TIMEOUT_VARIABLE, default=30, minimum=1, maximum=600)
    policy = FetchPolicy(allowed_hosts=_allowed_hosts(env), max_bytes=max_bytes, connect_timeout_s=connect_s,
                         read_timeout_s=read_s, allow_http=_flag(env, ALLOW_HTTP_VARIABLE),
                         total_timeout_s=total_s)
    return SchedulingSettings(
        calendar_horizon_days=env.integer(HORIZON_DAYS_VARIABLE, default=56, minimum=1, maximum=366),
        calendar_fetch=policy,
        calendar_max_bytes=max_bytes,
        feed_base_url=_base_url(env),
        organizer=_organizer(env),
        reminder_lead_minutes=_lead_minutes(env),
    )


def _allowed_hosts(env: Environment) -> tuple[str, ...]:
    raw = env.raw(ALLOWED_HOSTS_VARIABLE) or ""
    hosts = tuple(host.strip() for host in raw.split(",") if host.strip())
    try:
        FetchPolicy(allowed_hosts=hosts)  # the policy's own check of each pattern
    except ValueError as error:
        raise ConfigError(ALLOWED_HOSTS_VARIABLE, f"must be comma-separated host names, IP addresses or "
                                                  f"*.domain patterns: {error}") from None
    return hosts


def _flag(env: Environment, name: str) -> bool:
    value = (env.raw(name) or "0").lower()
    if value not in {"0", "1", "true", "false"}:
        raise ConfigError(name, f"must be 0 or 1, got {value!r}")
    return value in {"1", "true"}


def _base_url(env: Environment) -> str | None:
    value = env.raw(FEED_BASE_URL_VARIABLE)
    if value is None:
        return None
    if not value.startswith(("https://", "http://")) or "?" in value or "#" in value:
        raise ConfigError(FEED_BASE_URL_VARIABLE, f"must be an http(s) URL without query, got {value!r}")
    return value.rstrip("/")


def _organizer(env: Environment) -> Participant:
    email = env.string(ORGANIZER_EMAIL_VARIABLE, DEFAULT_ORGANIZER.email)
    if "@" not in email or any(ch in email for ch in " :\r\n"):
        raise ConfigError(ORGANIZER_EMAIL_VARIABLE, f"must be an email address, got {email!r}")
    return Participant(env.string(ORGANIZER_NAME_VARIABLE, DEFAULT_ORGANIZER.name), email)


def _lead_minutes(env: Environment) -> tuple[int, ...]:
    raw = env.string(REMINDER_LEADS_VARIABLE, "1440,60")
    try:
        leads = sorted({int(part) for part in raw.split(",") if part.strip()}, reverse=True)
    except ValueError:
        raise ConfigError(REMINDER_LEADS_VARIABLE, f"must be comma-separated whole minutes, got {raw!r}") from None
    if not leads or any(lead < 1 or lead > 60 * 24 * 30 for lead in leads):
        raise ConfigError(REMINDER_LEADS_VARIABLE, f"must list minutes between 1 and 43200, got {raw!r}")
    return tuple(leads)
