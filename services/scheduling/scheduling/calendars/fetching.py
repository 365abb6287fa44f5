"""Fetching a person's calendar from a URL they give us (an ICS export or a webcal:// link),
safely: the URL is untrusted input that makes this service open a connection.

The rules, in the order they are applied:

1. Scheme: https. `webcal://` means https (it is how calendar apps link a subscription). `http`
   only when the policy allows it. Anything else is refused.
2. Host: it must match `allowed_hosts` *before* anything is resolved or connected. An entry is an
   exact host name or IP literal (`calendar.example.com`, `10.1.2.3`) or `*.example.com`, which
   matches any name below example.com but not example.com itself and never an IP literal.
3. Addresses (SSRF): a host that matched only a `*.` pattern must resolve to public addresses
   only. Loopback, private (RFC 1918, unique-local), link-local (the 169.254.169.254 metadata
   service), shared (100.64/10), multicast, reserved and unspecified addresses are refused. A host
   listed exactly is trusted with any address: listing it is the explicit permission. The check
   runs on the resolved names before connecting and again on the address actually connected to,
   so a DNS answer that changes in between (rebinding) is caught before any byte is sent.
4. Redirects: at most `MAX_REDIRECTS`, each target checked by rules 1-3 as if it were new.
5. Limits: connect and read timeouts, a total time limit, and `max_bytes` of decoded body
   (a larger Content-Length is refused without reading).
6. Content: the body must begin with BEGIN:VCALENDAR, whatever the Content-Type says (servers
   label ICS as text/plain or application/octet-stream as often as text/calendar).

Environment proxies and .netrc are ignored: a proxy would connect on our behalf and defeat rule 3.
(REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE are still honoured for TLS verification.)
Every failure is a `CalendarFetchError` with a stable `code`."""

from __future__ import annotations

import ipaddress
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

MAX_REDIRECTS = 3
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
USER_AGENT = "mentoring-scheduling-calendar-fetch/1"
CALENDAR_START = b"BEGIN:VCALENDAR"


class CalendarFetchError(Exception):
    """`code` is one of: disallowed, unreachable, timeout, too_large, bad_status, not_a_calendar."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class FetchPolicy:
    allowed_hosts: tuple[str, ...]
    max_bytes: int = 5 * 1024 * 1024
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 10.0
    allow_http: bool = False
    # The read timeout bounds each wait for data; this bounds a server that drips bytes slowly.
    total_timeout_s: float = 30.0

    def __post_init__(self) -> None:
        if isinstance(self.allowed_hosts, str):
            raise ValueError("allowed_hosts is a tuple of host names, not one string")
        object.__setattr__(self, "allowed_hosts", tuple(_valid_pattern(p) for p in self.allowed_hosts))
        for name in ("max_bytes", "connect_timeout_s", "read_timeout_s", "total_timeout_s"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")


def fetch_calendar(url: str, policy: FetchPolicy) -> bytes:
    """The calendar at `url`, as bytes that begin with BEGIN:VCALENDAR (parse them with
    `busy_times.busy_times_from_ics`)."""
    deadline = time.monotonic() + policy.total_timeout_s
    for _ in range(MAX_REDIRECTS + 1):
        url, explicit = check_destination(url, policy)
        with _guarded_session(explicit) as session, _get(session, url, policy) as response:
            if response.status_code in REDIRECT_STATUSES and response.headers.get("Location"):
                url = urljoin(url, response.headers["Location"])
                continue
            if response.status_code != 200:
                raise CalendarFetchError("bad_status", f"the calendar server answered HTTP {response.status_code}")
            return _read_calendar(response, policy, deadline)
    raise CalendarFetchError("bad_status", f"more than {MAX_REDIRECTS} redirects")


def check_destination(url: str, policy: FetchPolicy) -> tuple[str, bool]:
    """Rules 1-3 for one URL, with no connection made: the URL to request (webcal:// made
    https://) and whether its host is listed exactly. Raises CalendarFetchError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise CalendarFetchError("disallowed", "the calendar URL is not a valid URL") from None
    scheme = parts.scheme.lower()
    if scheme == "webcal":
        scheme = "https"
    if scheme not in ("https", "http") or (scheme == "http" and not policy.allow_http):
        allowed = "https or http" if policy.allow_http else "https"
        raise CalendarFetchError("disallowed", f"calendar URLs must use {allowed}, not {parts.scheme or 'nothing'}")
    host = _normal_host(parts.hostname or "")
    if not host:
        raise CalendarFetchError("disallowed", "the calendar URL has no host")
    match = _matching_entry(host, policy.allowed_hosts)
    if match is None:
        raise CalendarFetchError("disallowed", f"the host {host} is not on the calendar allow-list")
    explicit = not match.startswith("*.")
    if not explicit:
        _require_public_addresses(host, port or (443 if scheme == "https" else 80))
    return urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, "")), explicit


def host_matches(host: str, pattern: str) -> bool:
    host, pattern = _normal_host(host), _normal_host(pattern)
    if pattern.startswith("*."):
        return not _is_ip_literal(host) and host.endswith(pattern[1:])
    return host == pattern


def _matching_entry(host: str, patterns: tuple[str, ...]) -> str | None:
    # An exact entry wins over a pattern, so listing a host exactly always grants its trust.
    exact = [p for p in patterns if not p.startswith("*.") and host_matches(host, p)]
    wildcard = [p for p in patterns if p.startswith("*.") and host_matches(host, p)]
    matches = exact or wildcard
    return matches[0] if matches else None


def _require_public_addresses(host: str, port: int) -> None:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise CalendarFetchError("unreachable", f"the host {host} could not be resolved: {error}") from None
    for info in infos:
        address = info[4][0]
        assert isinstance(address, str), "an IPv4 or IPv6 socket address starts with its address text"
        if not _address_allowed(address, explicit=False):
            raise CalendarFetchError(
                "disallowed", f"the host {host} resolves to a non-public address ({address}); "
                              f"list it exactly in the allow-list to permit that")


def _address_allowed(address: str, explicit: bool) -> bool:
    if explicit:
        return True
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _guarded_session(explicit: bool) -> requests.Session:
    session = requests.Session()
    session.trust_env = False
    # trust_env=False also drops the CA-bundle variables requests reads; keep those as it would.
    session.verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
    adapter = _GuardedAdapter(lambda address: _address_allowed(address, explicit))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _get(session: requests.Session, url: str, policy: FetchPolicy) -> requests.Response:
    try:
        return session.get(url, stream=True, allow_redirects=False,
                           timeout=(policy.connect_timeout_s, policy.read_timeout_s),
                           headers={"User-Agent": USER_AGENT, "Accept": "text/calendar, */*;q=0.5"})
    except _DisallowedPeer as error:
        raise CalendarFetchError("disallowed", str(error)) from None
    except requests.Timeout:
        raise CalendarFetchError("timeout", f"the calendar server did not answer in time ({_url_host(url)})") from None
    except requests.RequestException as error:
        raise CalendarFetchError("unreachable", f"could not connect to {_url_host(url)}: {_reason(error)}") from None


def _read_calendar(response: requests.Response, policy: FetchPolicy, deadline: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise CalendarFetchError("too_large", f"the calendar is {declared} bytes; the limit is {policy.max_bytes}")
    content_type = response.headers.get("Content-Type", "no Content-Type")
    body = bytearray()
    checked = False
    try:
        while chunk := response.raw.read1(64 * 1024, decode_content=True):
            body += chunk
            if len(body) > policy.max_bytes:
                raise CalendarFetchError("too_large", f"the calendar is larger than {policy.max_bytes} bytes")
            if not checked and len(_significant_start(body)) >= len(CALENDAR_START):
                _require_calendar(body, content_type)
                checked = True
            if time.monotonic() > deadline:
                raise CalendarFetchError(
                    "timeout", f"the calendar took longer than {policy.total_timeout_s:g} s to download")
    except urllib3.exceptions.ReadTimeoutError:
        raise CalendarFetchError("timeout", "the calendar server stopped sending") from None
    except (urllib3.exceptions.HTTPError, OSError) as error:
        raise CalendarFetchError("unreachable", f"the download broke off: {_reason(error)}") from None
    _require_calendar(body, content_type)
    return bytes(body)


def _require_calendar(body: bytes | bytearray, content_type: str) -> None:
    if not _significant_start(body).upper().startswith(CALENDAR_START):
        raise CalendarFetchError("not_a_calendar",
                                 f"the URL does not hold an iCalendar file (it sent {content_type.split(';')[0]})")


def _significant_start(body: bytes | bytearray) -> bytes:
    return bytes(body[:64]).removeprefix(b"\xef\xbb\xbf").lstrip()


class _DisallowedPeer(Exception):
    # Not an OSError, so urllib3 and requests let it through instead of retrying or wrapping it.
    pass


class _GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections check the peer's address right after connecting,
    before TLS or any request byte: the last word on rule 3, whatever DNS said earlier."""

    def __init__(self, peer_allowed: Callable[[str], bool]):
        self._peer_allowed = peer_allowed
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        check = self._peer_allowed

        class Guard:
            def _new_conn(self):
                sock = super()._new_conn()
                address = sock.getpeername()[0]
                if not check(address):
                    sock.close()
                    raise _DisallowedPeer(f"the calendar host connected to a non-public address ({address})")
                return sock

        class GuardedHTTP(Guard, urllib3.connection.HTTPConnection):
            pass

        class GuardedHTTPS(Guard, urllib3.connection.HTTPSConnection):
            pass

        self.poolmanager.pool_classes_by_scheme = {
            "http": type("GuardedHTTPPool", (HTTPConnectionPool,), {"ConnectionCls": GuardedHTTP}),
            "https": type("GuardedHTTPSPool", (HTTPSConnectionPool,), {"ConnectionCls": GuardedHTTPS}),
        }


def _url_host(url: str) -> str:
    return urlsplit(url).hostname or url


def _normal_host(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("*."):
        return "*." + _normal_host(host[2:])
    if _is_ip_literal(host):
        return str(ipaddress.ip_address(host.strip("[]")))
    if not host or host.isascii():
        return host
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


def _valid_pattern(pattern: str) -> str:
    normal = _normal_host(pattern)
    bare = normal.removeprefix("*.")
    if not bare or "*" in bare or "/" in bare or (":" in bare and not _is_ip_literal(bare)):
        raise ValueError(f"not a host name or *.domain pattern: {pattern!r}")
    if normal.startswith("*.") and "." not in bare:
        raise ValueError(f"a wildcard must name a domain below the top level: {pattern!r}")
    return normal


def _reason(error: BaseException) -> str:
    # The innermost cause reads best ("Connection refused"), without urllib3's object reprs.
    while error.__context__ is not None and not isinstance(error, ConnectionRefusedError):
        error = error.__context__
    text = str(error).split("] ", 1)[-1] if isinstance(error, OSError) else str(error)
    return text[:200] or type(error).__name__
