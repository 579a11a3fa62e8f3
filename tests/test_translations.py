"""Swedish first, English complete."""

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po
from sqlalchemy import select

from portal.extensions import db
from portal.notifications.models import OutboundEmail
from tests.factories import make_user

ROOT = Path(__file__).resolve().parent.parent
EN_CATALOGUE = ROOT / "portal/translations/en/LC_MESSAGES/messages.po"


def extracted_messages(tmp_path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from babel.messages.frontend import main; main()",
            "--quiet",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "--ignore-dirs=.*",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


def test_every_swedish_text_has_an_english_translation(tmp_path):
    with EN_CATALOGUE.open("rb") as handle:
        english = {m.id: m for m in read_po(handle) if m.id}
    missing = sorted(
        msgid
        for msgid in extracted_messages(tmp_path)
        if msgid not in english or not english[msgid].string or english[msgid].fuzzy
    )
    assert missing == [], "run `make extract-messages` and translate: " + repr(missing)


def test_pages_are_swedish_by_default(client):
    page = client.get("/logga-in").get_data(as_text=True)
    assert "Glömt lösenordet?" in page


def test_browser_asking_for_english_gets_english_login_page(client):
    page = client.get("/logga-in", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="en">' in page
    assert "Forgotten your password?" in page


def test_user_who_chose_english_sees_english_pages(client, login_as):
    login_as("member", language="en")
    page = client.get("/profil", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert "My profile" in page
    assert "Min profil" not in page


def test_reset_email_is_written_in_the_users_language(client):
    make_user(email="anna@sundsvall.example", name="Anna Lind", language="en")
    client.post("/glomt-losenord", data={"email": "anna@sundsvall.example"})
    row = db.session.scalar(select(OutboundEmail))
    assert row.subject == "Reset your password"
    assert "Hello Anna Lind" in row.text_body
