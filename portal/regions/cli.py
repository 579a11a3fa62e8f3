"""`flask --app wsgi portal import-region FILE.toml`."""

import logging
from pathlib import Path

import click

from portal.extensions import db
from portal.regions.schema import RegionFileError, read_region
from portal.regions.services import apply_region

log = logging.getLogger(__name__)


@click.command("import-region")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def import_region_command(file: Path):
    """Import a region file: add what is missing, change what differs, remove nothing.

    Every mistake in the file is listed (file, line, field) and nothing is written; the import
    is one transaction.
    """
    try:
        region = read_region(file, shown_as=str(file))
    except RegionFileError as error:
        for mistake in error.errors:
            click.echo(str(mistake), err=True)
        click.echo(f"{file}: {len(error.errors)} fel, inget har skrivits till databasen.", err=True)
        raise click.exceptions.Exit(1) from error
    try:
        changes = apply_region(region)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    log.info(
        "Region %s imported from %s: %s changes", region.county_library.name, file, len(changes)
    )
    for change in changes:
        click.echo(change)
    if not changes:
        click.echo("Inget ändrat.")
    else:
        click.echo(f"{len(changes)} ändring{'' if len(changes) == 1 else 'ar'}.")
