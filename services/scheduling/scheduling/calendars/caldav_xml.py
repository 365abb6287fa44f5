"""The WebDAV/CalDAV XML this service speaks (RFC 4918, RFC 4791): request bodies, and reading a
207 Multi-Status answer into plain values. No HTTP here; `caldav_client` sends and receives."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

DAV = "DAV:"
CALDAV = "urn:ietf:params:xml:ns:caldav"

_HEAD = '<?xml version="1.0" encoding="utf-8"?>\n'


def clark(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def propfind(*properties: tuple[str, str]) -> bytes:
    names = "".join(f'<x:{name} xmlns:x="{namespace}"/>' for namespace, name in properties)
    return f'{_HEAD}<d:propfind xmlns:d="DAV:"><d:prop>{names}</d:prop></d:propfind>'.encode()


def free_busy_query(start: dt.datetime, end: dt.datetime) -> bytes:
    """RFC 4791 §7.10: the server answers with one VFREEBUSY for the collection."""
    return (f'{_HEAD}<c:free-busy-query xmlns:c="{CALDAV}">'
            f'{_time_range(start, end)}</c:free-busy-query>').encode()


def events_query(start: dt.datetime, end: dt.datetime) -> bytes:
    """RFC 4791 §7.8: every VEVENT resource with an occurrence overlapping [start, end), with its
    full calendar data (not expanded: recurrences are expanded here, the same way for every
    server)."""
    return (f'{_HEAD}<c:calendar-query xmlns:d="DAV:" xmlns:c="{CALDAV}">'
            f'<d:prop><d:getetag/><c:calendar-data/></d:prop>'
            f'<c:filter><c:comp-filter name="VCALENDAR"><c:comp-filter name="VEVENT">'
            f'{_time_range(start, end)}</c:comp-filter></c:comp-filter></c:filter>'
            f'</c:calendar-query>').encode()


def mkcalendar(display_name: str) -> bytes:
    return (f'{_HEAD}<c:mkcalendar xmlns:d="DAV:" xmlns:c="{CALDAV}"><d:set><d:prop>'
            f'<d:displayname>{escape(display_name)}</d:displayname>'
            f'<c:supported-calendar-component-set><c:comp name="VEVENT"/></c:supported-calendar-component-set>'
            f'</d:prop></d:set></c:mkcalendar>').encode()


@dataclass
class DavResource:
    """One <response> of a multistatus: its href and the properties the server found (status 200)."""

    href: str
    properties: dict[str, ET.Element] = field(default_factory=dict)

    def text(self, namespace: str, name: str) -> str | None:
        element = self.properties.get(clark(namespace, name))
        return None if element is None else (element.text or "")

    def hrefs(self, namespace: str, name: str) -> list[str]:
        """The <href> values inside a property such as current-user-principal."""
        element = self.properties.get(clark(namespace, name))
        if element is None:
            return []
        return [(h.text or "").strip() for h in element.iter(clark(DAV, "href")) if h.text]

    def has_child(self, namespace: str, name: str, child: str) -> bool:
        element = self.properties.get(clark(namespace, name))
        return element is not None and element.find(child) is not None


class BadXml(ValueError):
    pass


def parse_multistatus(body: bytes) -> list[DavResource]:
    # The stdlib parser resolves no external entities and (expat >= 2.4) limits entity expansion.
    try:
        root = ET.fromstring(body)
    except ET.ParseError as error:
        raise BadXml(f"the server's XML could not be parsed: {error}") from None
    if root.tag != clark(DAV, "multistatus"):
        raise BadXml(f"expected a DAV multistatus, got {root.tag}")
    resources = []
    for response in root.findall(clark(DAV, "response")):
        href = (response.findtext(clark(DAV, "href")) or "").strip()
        resource = DavResource(href)
        for propstat in response.findall(clark(DAV, "propstat")):
            status = propstat.findtext(clark(DAV, "status")) or ""
            if " 200 " not in f"{status} ":
                continue
            for prop in propstat.findall(clark(DAV, "prop")):
                for element in prop:
                    resource.properties[element.tag] = element
        resources.append(resource)
    return resources


def _time_range(start: dt.datetime, end: dt.datetime) -> str:
    return f'<c:time-range start="{_utc_stamp(start)}" end="{_utc_stamp(end)}"/>'


def _utc_stamp(value: dt.datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("time ranges need timezone-aware datetimes")
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
