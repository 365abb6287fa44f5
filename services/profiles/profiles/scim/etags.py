"""Weak ETags (RFC 7232) on Users and Groups: W/"<version>", and the If-Match rule that guards writes."""

from __future__ import annotations

from profiles.scim.errors import ScimError


def etag(version: int) -> str:
    return f'W/"{version}"'


def check_if_match(header: str | None, version: int) -> None:
    """If-Match with our weak ETag (or its strong form, or *); 412 on mismatch."""
    if not header:
        return
    wanted = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if "*" not in wanted and f'"{version}"' not in wanted:
        raise ScimError(412, f"the resource is at version {version}, not {header}")
