"""`mentoring import-people`: an administrator imports an HR file straight into profiles' database
(PROFILES_DATABASE_URL), with the import's own progress. `mentoring admin import-people` does the
same through the public API, from anywhere."""

from __future__ import annotations

import click

from mentoring_shared.command_line import MentoringCommand


@click.command(cls=MentoringCommand)
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--tenant", required=True)
@click.option("--preset", type=click.Choice(["workday", "bamboohr"]), help="The vendor's column names.")
@click.option("--mapping", metavar="M.json", help="A JSON file: our field -> the file's column header.")
@click.option("--dry-run", is_flag=True, help="Report what would change, write nothing.")
def import_people(file: str, tenant: str, preset: str | None, mapping: str | None, dry_run: bool) -> int:
    """Import an HR file (UTF-8 CSV) into profiles (PROFILES_DATABASE_URL): all of it, in one
    transaction, or none of it if any row has an error (each is listed with its line)."""
    from profiles.admin import import_people_file

    return import_people_file(file, tenant, preset, mapping, dry_run)
