"""`flask --app wsgi portal ...`: demo data and admin accounts."""

import time

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.accounts.mfa.services import provisioning_uri, replace_totp, totp_factor
from portal.accounts.services import create_or_reset_admin
from portal.core.dates import utcnow
from portal.core.errors import ValidationError
from portal.core.tasks import record_worker_heartbeat
from portal.core.worker_health import last_heartbeat, worker_is_consuming
from portal.demo import load_demo
from portal.extensions import db
from portal.regions.cli import import_region_command
from portal.search.index import rebuild_index

portal_cli = AppGroup("portal", help="Portalens kommandon.")
portal_cli.add_command(import_region_command)

# Prints an app's current code from its key, for those without an authenticator app at hand.
CURRENT_CODE_COMMAND = ".venv/bin/python -c \"import pyotp; print(pyotp.TOTP('{key}').now())\""


@portal_cli.command("demo")
@click.option(
    "--allow-production",
    is_flag=True,
    help="Ladda demodata även i produktion (demokontonas lösenord är publika).",
)
def demo_command(allow_production: bool):
    """Load the demo county's data, people and projects (safe to run again).

    The demo accounts' passwords are in the source and printed, so production refuses them
    unless asked explicitly.
    """
    if current_app.config["PORTAL_ENV"] == "production" and not allow_production:
        raise click.ClickException(
            "Demodata laddas inte i produktion (PORTAL_ENV=production): demokontonas lösenord "
            "är publika. Använd --allow-production om du verkligen vill."
        )

    accounts = load_demo()
    for account in accounts:
        key = account.get("totp_secret", "")
        click.echo(f"{account['role']:7} {account['email']:35} {account['password']:31} {key}")
    click.echo(
        "Admin och personal loggar in med en kod från en app för tvåstegsverifiering också: "
        "lägg in nyckeln ovan i appen, eller skriv ut koden just nu med\n"
        f"  {CURRENT_CODE_COMMAND.format(key=accounts[0].get('totp_secret', 'NYCKEL'))}"
    )


@portal_cli.command("create-admin")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password", required=True)
def create_admin_command(email: str, name: str, password: str):
    """Create an admin, or reset an existing account to admin with this password and a new
    authenticator-app key (admins must have a second factor), printed with new recovery
    codes: hand them to the admin."""
    try:
        user = create_or_reset_admin(email, name, password)
    except ValidationError as error:
        raise click.ClickException(str(error.message)) from error
    secret, codes = replace_totp(user)
    uri = provisioning_uri(user, totp_factor(user))
    db.session.commit()
    click.echo(f"Admin {user.email} är klar.")
    click.echo(
        "Logga in med lösenordet och en kod från en app för tvåstegsverifiering med den här "
        f"nyckeln (tidsbaserad, 6 siffror, 30 sekunder):\nNyckel: {secret}\n{uri}\n"
        f"Koden just nu: {CURRENT_CODE_COMMAND.format(key=secret)}\n"
        "Reservkoder (var och en loggar in en gång utan appen):"
    )
    for code in codes:
        click.echo(f"  {code}")


@portal_cli.command("reindex-search")
def reindex_search_command():
    """Rebuild the search index from the tables (after a bulk load or a restore)."""
    counts = rebuild_index()
    db.session.commit()
    for kind, count in counts.items():
        click.echo(f"{kind:10} {count}")


@portal_cli.command("worker-health")
@click.option("--timeout", default=20.0, show_default=True, help="Sekunder att vänta.")
def worker_health_command(timeout: float):
    """Exit 0 if a worker runs a heartbeat task sent now within TIMEOUT seconds, else 1.

    The worker's healthcheck: it consumes, so a worker that answers a ping but has lost its
    task slots fails it. Sent with an expiry, so a queue of them cannot pile up.
    """
    sent_at = utcnow()
    try:
        record_worker_heartbeat.apply_async(expires=timeout)
    except Exception as error:
        raise click.ClickException(f"the broker took no task: {error}") from error
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        db.session.rollback()  # a new transaction sees the worker's commit
        beat_at = last_heartbeat()
        if beat_at is not None and beat_at >= sent_at and worker_is_consuming(timeout):
            click.echo(
                f"worker ok: ran a heartbeat task in {(beat_at - sent_at).total_seconds():.1f} s"
            )
            return
        time.sleep(0.2)
    raise click.ClickException(f"no worker ran a heartbeat task within {timeout:.0f} s")


def register_cli(app: Flask) -> None:
    app.cli.add_command(portal_cli)
