"""A small client of the platform's public HTTP APIs: where each service answers, the bearer token,
timeouts, keyset pages followed to the end, and every refusal turned into one readable error."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import requests
from urllib3 import encode_multipart_formdata

from mentoring_shared.config import DEFAULT_PORTS
from mentoring_shared.web.pagination import MAX_PAGE_SIZE

CONNECT_TIMEOUT_S = 5.0
FIELD_ERRORS_SHOWN = 50
MINT_HINT = "mint one with `mentoring token --tenant T --role program_manager --sub you@example.com`"


class AdminError(Exception):
    """A failure the command reports in one message, with its exit status."""

    exit_code = 1


class ApiRefused(AdminError):
    """The service answered with an error: status, title, detail and every invalid field."""

    exit_code = 1

    def __init__(self, service: str, method: str, url: str, response: requests.Response):
        self.service, self.method, self.url, self.status = service, method, url, response.status_code
        self.problem: dict[str, Any] | None = None
        if response.headers.get("Content-Type", "").startswith(("application/problem+json", "application/json")):
            try:
                body = response.json()
            except ValueError:
                body = None
            self.problem = body if isinstance(body, dict) else None
        self.body_text = response.text[:300] if self.problem is None else ""
        self.reason = response.reason or ""
        super().__init__(self.message())

    def message(self) -> str:
        problem = self.problem or {}
        title = problem.get("title") or self.reason
        lines = [f"{self.service} refused {self.method} {self.url}: {self.status} {title}".rstrip()]
        if problem.get("detail"):
            lines.append(f"  {problem['detail']}")
        if self.body_text.strip():
            lines.append(f"  {self.body_text.strip()}")
        errors = problem.get("errors") or []
        for error in errors[:FIELD_ERRORS_SHOWN]:
            where = f"line {error['line']}: " if error.get("line") is not None else ""
            lines.append(f"  {where}{error.get('field') or 'row'}: {error.get('message')}")
        if len(errors) > FIELD_ERRORS_SHOWN:
            lines.append(f"  ... and {len(errors) - FIELD_ERRORS_SHOWN:,} more")
        if problem.get("fields"):  # a conflict names the fields it is about
            lines.append(f"  fields: {', '.join(map(str, problem['fields']))}")
        if self.status == 401:
            lines.append(f"  check --token or MENTORING_TOKEN; {MINT_HINT}")
        return "\n".join(lines)


class ServiceUnreachable(AdminError):
    exit_code = 3

    def __init__(self, service: str, url: str, why: str):
        self.service, self.url = service, url
        super().__init__(f"cannot reach {service} at {url}: {why}")


class PlatformClient:
    """Calls the four services with one bearer token. `base_urls` maps a service to the URL its
    API answers at (a gateway's prefix included)."""

    def __init__(self, base_urls: Mapping[str, str], token: str, read_timeout_s: float,
                 session: requests.Session | None = None):
        self.base_urls = {service: url.rstrip("/") for service, url in base_urls.items()}
        self._timeout = (CONNECT_TIMEOUT_S, read_timeout_s)
        self._session = session or requests.Session()
        self._session.headers.update({"Authorization": f"Bearer {token}", "Accept": "application/json",
                                      "User-Agent": "mentoring-admin"})
        self._token, self._read_timeout_s = token, read_timeout_s

    def another(self) -> "PlatformClient":
        """A client like this one on its own connections, for another thread (a session is not
        thread-safe): e.g. to watch the server's progress while a long request is in flight."""
        return PlatformClient(self.base_urls, self._token, self._read_timeout_s)

    def request(self, service: str, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = self.base_urls[service] + path
        try:
            response = self._session.request(method, url, timeout=self._timeout, **kwargs)
        except requests.Timeout:
            raise ServiceUnreachable(service, url, f"no answer within {self._timeout[1]:.0f} s "
                                                   "(--timeout raises the limit)") from None
        except requests.ConnectionError as error:
            raise ServiceUnreachable(service, url, _connection_failure(error)) from None
        if response.status_code in (502, 503, 504) and "json" not in response.headers.get("Content-Type", ""):
            # A gateway's own page: the service behind it is down, which is not a refusal.
            raise ServiceUnreachable(service, url, f"{response.status_code} {response.reason} from the gateway")
        if response.status_code >= 400:
            raise ApiRefused(service, method, url, response)
        return response

    def get(self, service: str, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return _json_of(service, self.request(service, "GET", path, params=params))

    def get_text(self, service: str, path: str, params: Mapping[str, Any] | None = None) -> str:
        return self.request(service, "GET", path, params=params).text

    def post(self, service: str, path: str, body: Any = None) -> Any:
        return _json_of(service, self.request(service, "POST", path, json=body if body is not None else {}))

    def patch(self, service: str, path: str, body: Any) -> Any:
        return _json_of(service, self.request(service, "PATCH", path, json=body))

    def put(self, service: str, path: str, body: Any) -> Any:
        return _json_of(service, self.request(service, "PUT", path, json=body))

    def pages(self, service: str, path: str, params: Mapping[str, Any] | None = None) -> Iterator[dict]:
        """Every item of a keyset-paginated list, following `next_cursor` page by page."""
        query = {key: value for key, value in (params or {}).items() if value is not None}
        query["limit"] = MAX_PAGE_SIZE
        while True:
            page = self.get(service, path, query)
            yield from page["items"]
            if not page.get("next_cursor"):
                return
            query["cursor"] = page["next_cursor"]

    def upload(self, service: str, path: str, fields: Mapping[str, Any],
               progress: Callable[[int, int], None] | None = None) -> Any:
        """POST multipart/form-data (a file is `(filename, bytes, content type)`), calling
        `progress(sent, total)` as the body goes out."""
        body, content_type = encode_multipart_formdata(dict(fields))
        return _json_of(service, self.request(service, "POST", path, data=_ReportingBody(body, progress),
                                              headers={"Content-Type": content_type}))


class _ReportingBody:
    """A request body that the HTTP connection reads block by block; each read reports the bytes
    sent. Its length gives requests a Content-Length, so the body is not chunked."""

    def __init__(self, body: bytes, progress: Callable[[int, int], None] | None):
        self._body, self._progress, self._sent = body, progress, 0

    def __len__(self) -> int:
        return len(self._body)

    def read(self, size: int = -1) -> bytes:
        end = len(self._body) if size is None or size < 0 else self._sent + size
        chunk = self._body[self._sent:end]
        self._sent += len(chunk)
        if chunk and self._progress:
            self._progress(self._sent, len(self._body))
        return chunk


def _json_of(service: str, response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:  # a URL that is not the service's API: a web page, a gateway's wrong route
        kind = response.headers.get("Content-Type") or "no content type"
        raise ServiceUnreachable(service, response.url, f"the answer is {kind}, not the API's JSON") from None


def _connection_failure(error: requests.ConnectionError) -> str:
    """The operating system's reason ("Connection refused", "Name or service not known"), not
    urllib3's retry wrapper around it."""
    found = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(error))
    return found.group(1).strip() if found else type(error).__name__


def service_urls(gateway: str | None, environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """Per service: the gateway's prefix (the gateway strips it), else MENTORING_<SERVICE>_URL,
    else the local API on <SERVICE>_PORT (as `make run` starts it; 8001-8004 by default)."""
    gateway = gateway or environ.get("MENTORING_GATEWAY_URL")
    if gateway:
        return {service: f"{gateway.rstrip('/')}/{service}" for service in DEFAULT_PORTS}
    return {service: environ.get(f"MENTORING_{service.upper()}_URL")
            or f"http://127.0.0.1:{environ.get(f'{service.upper()}_PORT') or port}"
            for service, port in DEFAULT_PORTS.items()}


def bearer_token(token: str | None, environ: Mapping[str, str] = os.environ) -> str:
    token = (token or environ.get("MENTORING_TOKEN") or "").strip()
    if not token:
        raise ValueError(f"no bearer token: pass --token or set MENTORING_TOKEN ({MINT_HINT})")
    return token
