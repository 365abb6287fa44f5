"""The platform's tools for people at a shell, joined to the kit's `mentoring` command: program and
operations chores through the public APIs (admin/), the demo journey (demo/), the HR import against
profiles' database, the embedded broker, and the AsyncAPI generator. Service images do not ship it."""
