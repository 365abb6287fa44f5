"""The allow-list and address rules of calendar fetching, decided before any connection."""

import socket

import pytest

from scheduling.calendars.fetching import CalendarFetchError, FetchPolicy, check_destination, host_matches


def policy(*hosts: str, **kwargs) -> FetchPolicy:
    return FetchPolicy(allowed_hosts=hosts, **kwargs)


def resolving_to(monkeypatch, address: str) -> list[str]:
    asked = []

    def fake_getaddrinfo(host, port, *args, **kwargs):
        asked.append(host)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo)
    return asked


def refusal(url: str, fetch_policy: FetchPolicy) -> CalendarFetchError:
    with pytest.raises(CalendarFetchError) as raised:
        check_destination(url, fetch_policy)
    return raised.value


@pytest.mark.parametrize("host, pattern, matches", [
    ("calendar.example.com", "calendar.example.com", True),
    ("Calendar.Example.COM.", "calendar.example.com", True),
    ("a.calendar.example.com", "calendar.example.com", False),
    ("calendar.example.com", "*.example.com", True),
    ("deep.calendar.example.com", "*.example.com", True),
    ("example.com", "*.example.com", False),
    ("badexample.com", "*.example.com", False),
    ("10.0.0.5", "*.0.0.5", False),
    ("bücher.example", "xn--bcher-kva.example", True),
])
def test_hosts_match_exact_entries_and_subdomain_patterns(host, pattern, matches):
    assert host_matches(host, pattern) is matches


@pytest.mark.parametrize("url, allow_http", [("ftp://calendar.example.com/a.ics", True),
                                             ("file:///etc/passwd", True),
                                             ("http://calendar.example.com/a.ics", False),
                                             ("calendar.example.com/a.ics", False)])
def test_only_https_is_fetched_unless_http_is_allowed(url, allow_http):
    assert refusal(url, policy("calendar.example.com", allow_http=allow_http)).code == "disallowed"


def test_webcal_links_are_fetched_over_https(monkeypatch):
    resolving_to(monkeypatch, "93.184.216.34")
    url, _ = check_destination("webcal://cal.example.com/feed.ics#x", policy("*.example.com"))
    assert url == "https://cal.example.com/feed.ics"


def test_a_host_off_the_list_is_refused_without_resolving_it(monkeypatch):
    asked = resolving_to(monkeypatch, "93.184.216.34")
    error = refusal("https://evil.example.net/a.ics", policy("*.example.com", "calendar.example.org"))
    assert error.code == "disallowed" and "allow-list" in error.message
    assert asked == []


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.5", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1"])
def test_a_pattern_matched_host_that_resolves_to_a_non_public_address_is_refused(monkeypatch, address):
    resolving_to(monkeypatch, address)
    error = refusal("https://cal.example.com/a.ics", policy("*.example.com"))
    assert error.code == "disallowed" and "non-public" in error.message


def test_a_host_listed_exactly_may_resolve_to_a_private_address(monkeypatch):
    resolving_to(monkeypatch, "10.1.2.3")
    url, explicit = check_destination("https://intranet.example.com/a.ics", policy("intranet.example.com"))
    assert explicit and url == "https://intranet.example.com/a.ics"


def test_an_ip_literal_must_be_listed_itself():
    assert refusal("https://10.1.2.3/a.ics", policy("*.example.com")).code == "disallowed"
    assert check_destination("https://10.1.2.3/a.ics", policy("10.1.2.3"))[1] is True


def test_a_host_that_does_not_resolve_is_unreachable(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    assert refusal("https://gone.example.com/a.ics", policy("*.example.com")).code == "unreachable"


@pytest.mark.parametrize("pattern", ["*", "*.com", "https://calendar.example.com", "cal*.example.com", ""])
def test_allow_list_entries_that_would_match_too_much_or_nothing_are_refused(pattern):
    with pytest.raises(ValueError):
        policy(pattern)


def test_allow_list_must_be_a_tuple_not_one_string():
    with pytest.raises(ValueError):
        FetchPolicy(allowed_hosts="calendar.example.com")
