"""`mentoring admin person export`: one person's data from all four services, as one JSON document.
Each service exports what it holds at GET /v1/people/{id}/export (none may call another to finish
a request), so the whole export is gathered here, through the public APIs, with the admin token."""

from __future__ import annotations

import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mentoring_shared.config import DEFAULT_PORTS

if TYPE_CHECKING:
    from mentoring_tools.admin.client import PlatformClient

SERVICES = tuple(DEFAULT_PORTS)  # profiles, matching, scheduling, feedback


def gather_person_export(client: PlatformClient, person_id: str) -> dict[str, Any]:
    """Every service's part, or an error: a service that refuses or cannot be reached stops the
    export (AdminError), so a partial document is never taken for the whole."""
    parts = {service: client.get(service, f"/v1/people/{person_id}/export") for service in SERVICES}
    return {"person_id": person_id, "exported_at": datetime.now(UTC).isoformat(), "services": parts}


def write_privately(path: Path, text: str) -> None:
    """Personal data: readable by the owner only, and the file appears whole or not at all."""
    path = path.resolve()
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
