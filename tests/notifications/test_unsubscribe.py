"""One click in any notification email switches that kind off, without logging in; a link
that was tampered with changes nothing."""

import email
import email.policy

import pytest
from sqlalchemy import select

from portal.accounts import tokens
from portal.extensions import db
from portal.notifications import messages, preferences
from portal.notifications.models import NotificationPreference, OutboundEmail
from tests.factories import make_user
from tests.notifications.factories import queue_reset_email
from tests.notifications.test_preferences import notify_about_update

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def path_of(url: str) -> str:
    return url.removeprefix("http://portal.test")


def news_frequency(user) -> str:
    db.session.expire_all()
    return preferences.frequencies_of(user)["news"]


def test_the_one_click_post_switches_the_kind_off_without_a_login(client):
    karin = make_user()
    url = preferences.unsubscribe_url(karin.id, ["news"])

    response = client.post(path_of(url), data=ONE_CLICK)

    assert response.status_code == 200
    assert "<h1>Mejlen är avstängda</h1>" in response.get_data(as_text=True)
    assert news_frequency(karin) == "off"
    assert preferences.frequencies_of(karin)["project_updates"] == "immediately"


def test_the_link_opened_in_a_browser_asks_first_and_changes_nothing(client):
    karin = make_user()
    url = preferences.unsubscribe_url(karin.id, ["news"])

    page = client.get(path_of(url)).get_data(as_text=True)

    assert "<h1>Avsluta mejl</h1>" in page
    assert "<li>Nyheter</li>" in page
    assert (
        '<input id="List-Unsubscribe" name="List-Unsubscribe" type="hidden" value="One-Click">'
        in page
    )
    assert news_frequency(karin) == "daily"


def test_the_one_click_post_needs_no_csrf_token(csrf_app, client):
    karin = make_user()
    client.post(path_of(preferences.unsubscribe_url(karin.id, ["news"])), data=ONE_CLICK)
    assert news_frequency(karin) == "off"


def tampered_tokens(user) -> list[str]:
    genuine = preferences.unsubscribe_token(user.id, ["news"])
    payload, _, signature = genuine.partition(".")
    other = make_user(email="annan@timra.example")
    forged_payload = preferences.unsubscribe_token(other.id, ["news"]).partition(".")[0]
    return [
        genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),  # signature changed
        f"{forged_payload}.{signature}",  # someone else's id under this signature
        genuine[: len(genuine) // 2],  # cut short by a mail program
        tokens.make_reset_token(user.id, user.password_hash),  # a token for something else
    ]


@pytest.mark.parametrize("case", range(4))
def test_a_tampered_token_changes_nothing_and_says_so_in_swedish(client, case):
    karin = make_user(email="karin@kramfors.example")
    token = tampered_tokens(karin)[case]
    before = db.session.scalars(select(NotificationPreference)).all()

    response = client.post(f"/avregistrera/{token}", data=ONE_CLICK)

    assert response.status_code == 400
    assert "<h1>Länken fungerar inte</h1>" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalars(select(NotificationPreference)).all() == before == []


def test_a_signed_token_for_a_kind_that_does_not_exist_changes_nothing(client):
    karin = make_user()
    token = preferences._signer().dumps({"u": karin.id, "k": ["gossip"]})
    assert client.post(f"/avregistrera/{token}", data=ONE_CLICK).status_code == 400
    assert db.session.scalars(select(NotificationPreference)).all() == []


def test_the_notification_carries_list_unsubscribe_headers_for_its_kind(app, client):
    karin = make_user()
    notify_about_update([karin])
    db.session.commit()
    row = db.session.scalar(select(OutboundEmail))

    sent = messages.message_bytes(row)
    message = email.message_from_bytes(sent, policy=email.policy.default)

    assert message["List-Unsubscribe"] == f"<{row.list_unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"\r\nList-Unsubscribe: <{row.list_unsubscribe}>\r\n".encode() in sent, (
        "the address as it is, not folded into an encoded word"
    )
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == row.text_body
    client.post(path_of(row.list_unsubscribe), data=ONE_CLICK)
    db.session.expire_all()
    assert preferences.frequencies_of(karin)["project_updates"] == "off"
    assert preferences.frequencies_of(karin)["news"] == "daily"


def test_other_emails_have_no_unsubscribe_headers(app):
    raw = messages.message_bytes(queue_reset_email())
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert message["Subject"] == "Återställ ditt lösenord"
    assert message["List-Unsubscribe"] is None
    assert message["List-Unsubscribe-Post"] is None
