"""Scheduling's settings: calendar fetching is closed unless configured, and a bad value stops the
process with a message naming its variable."""

import pytest

from mentoring_shared.config import ConfigError
from scheduling.settings import load_scheduling_settings


def test_by_default_no_calendar_url_is_allowed_and_only_https_is_fetched():
    settings = load_scheduling_settings({})
    assert settings.calendar_fetch.allowed_hosts == () and settings.calendar_fetch.allow_http is False
    assert settings.calendar_horizon_days == 56
    assert settings.reminder_lead_minutes == (1440, 60)


def test_allowed_hosts_and_limits_come_from_the_environment():
    settings = load_scheduling_settings({
        "SCHEDULING_CALENDAR_ALLOWED_HOSTS": "calendar.google.com, *.example.com,10.0.0.5",
        "SCHEDULING_CALENDAR_ALLOW_HTTP": "1", "SCHEDULING_CALENDAR_HORIZON_DAYS": "28",
        "SCHEDULING_CALENDAR_MAX_BYTES": "100000", "SCHEDULING_CALENDAR_TOTAL_TIMEOUT_SECONDS": "12",
        "SCHEDULING_REMINDER_LEAD_MINUTES": "60, 1440,15"})
    policy = settings.calendar_fetch
    assert policy.allowed_hosts == ("calendar.google.com", "*.example.com", "10.0.0.5") and policy.allow_http
    assert policy.max_bytes == settings.calendar_max_bytes == 100_000 and policy.total_timeout_s == 12
    assert settings.calendar_horizon_days == 28
    assert settings.reminder_lead_minutes == (1440, 60, 15)


@pytest.mark.parametrize("variable,value", [
    ("SCHEDULING_CALENDAR_ALLOWED_HOSTS", "https://calendar.example.com/"),
    ("SCHEDULING_CALENDAR_ALLOWED_HOSTS", "*.com"),
    ("SCHEDULING_CALENDAR_ALLOW_HTTP", "yes please"),
    ("SCHEDULING_CALENDAR_HORIZON_DAYS", "0"),
    ("SCHEDULING_CALENDAR_MAX_BYTES", "999999999"),
    ("SCHEDULING_CALENDAR_CONNECT_TIMEOUT_SECONDS", "soon"),
    ("SCHEDULING_FEED_BASE_URL", "calendar.example.com"),
    ("SCHEDULING_ORGANIZER_EMAIL", "not an address"),
    ("SCHEDULING_REMINDER_LEAD_MINUTES", "1440,an hour"),
    ("SCHEDULING_REMINDER_LEAD_MINUTES", "0"),
])
def test_a_bad_value_names_its_variable(variable, value):
    with pytest.raises(ConfigError) as raised:
        load_scheduling_settings({variable: value})
    assert raised.value.variable == variable
