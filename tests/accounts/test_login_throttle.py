"""Failed logins are throttled per (account, address), per address and, as a backstop, per
account: an attacker is stopped, the account's owner is not, and gets one email about it."""

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select
from werkzeug.middleware.proxy_fix import ProxyFix

from portal.extensions import db
from portal.notifications.models import OutboundEmail
from tests.factories import PASSWORD, make_user

WRONG = "fel-lösenord-helt-och-hållet"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
STOPPED = "För många misslyckade inloggningar. Försök igen om"


def log_in(client, email, password=PASSWORD, address=OWNER, **kwargs):
    return client.post(
        "/logga-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        **kwargs,
    )


def alert_emails() -> list[OutboundEmail]:
    return list(
        db.session.scalars(select(OutboundEmail).where(OutboundEmail.template == "login_failures"))
    )


def test_attackers_address_is_stopped_after_ten_failures_even_with_the_right_password(client):
    make_user(email="karin@kramfors.example")
    for _ in range(10):
        assert log_in(client, "karin@kramfors.example", WRONG, ATTACKER).status_code == 200
    response = log_in(client, "karin@kramfors.example", PASSWORD, ATTACKER)
    assert response.status_code == 429
    page = response.get_data(as_text=True)
    assert STOPPED in page
    assert "<h1>Logga in</h1>" in page
    assert 'value="karin@kramfors.example"' in page
    assert 30 * 60 - 5 <= int(response.headers["Retry-After"]) <= 30 * 60


def test_owner_from_another_address_still_gets_in_while_the_attacker_is_stopped(client):
    make_user(email="karin@kramfors.example", name="Karin Holm")
    for _ in range(15):
        log_in(client, "karin@kramfors.example", WRONG, ATTACKER)
    assert log_in(client, "karin@kramfors.example", WRONG, ATTACKER).status_code == 429
    response = log_in(client, "karin@kramfors.example", PASSWORD, OWNER)
    assert response.status_code == 302
    assert "Välkommen, Karin Holm" in client.get("/").get_data(as_text=True)


def test_one_address_trying_many_accounts_is_stopped(client):
    make_user(email="karin@kramfors.example")
    for number in range(30):
        assert (
            log_in(client, f"person{number}@kramfors.example", WRONG, ATTACKER).status_code == 200
        )
    assert log_in(client, "karin@kramfors.example", WRONG, ATTACKER).status_code == 429
    assert log_in(client, "karin@kramfors.example", PASSWORD, OWNER).status_code == 302


def test_many_addresses_together_reach_the_accounts_backstop(app, client):
    app.config["LOGIN_FAILURE_LIMIT_ACCOUNT"] = "25 per hour"
    make_user(email="karin@kramfors.example")
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3"):
        for _ in range(10):
            log_in(client, "karin@kramfors.example", WRONG, address)
    assert log_in(client, "karin@kramfors.example", PASSWORD, OWNER).status_code == 429


def test_real_and_unknown_accounts_are_stopped_alike(client):
    make_user(email="karin@kramfors.example")
    for email in ("karin@kramfors.example", "ingen@kramfors.example"):
        for _ in range(10):
            log_in(client, email, WRONG, ATTACKER)
    real = log_in(client, "karin@kramfors.example", PASSWORD, ATTACKER)
    unknown = log_in(client, "ingen@kramfors.example", PASSWORD, ATTACKER)
    assert real.status_code == unknown.status_code == 429
    assert STOPPED in real.get_data(as_text=True)
    assert STOPPED in unknown.get_data(as_text=True)


def test_a_forged_forwarded_for_header_does_not_change_the_counted_address(client):
    make_user(email="karin@kramfors.example")
    for number in range(10):
        headers = {"X-Forwarded-For": f"192.0.2.{number}"}
        log_in(client, "karin@kramfors.example", WRONG, ATTACKER, headers=headers)
    headers = {"X-Forwarded-For": "192.0.2.99"}
    response = log_in(client, "karin@kramfors.example", PASSWORD, ATTACKER, headers=headers)
    assert response.status_code == 429


def test_behind_the_trusted_proxy_the_clients_own_address_is_counted(app, client, monkeypatch):
    monkeypatch.setattr(app, "wsgi_app", ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1))
    make_user(email="karin@kramfors.example")
    proxy = "10.0.0.2"
    attacker = {"X-Forwarded-For": ATTACKER}
    for _ in range(10):
        log_in(client, "karin@kramfors.example", WRONG, proxy, headers=attacker)
    assert (
        log_in(client, "karin@kramfors.example", WRONG, proxy, headers=attacker).status_code == 429
    )
    owner = {"X-Forwarded-For": OWNER}
    assert (
        log_in(client, "karin@kramfors.example", PASSWORD, proxy, headers=owner).status_code == 302
    )


def test_an_ipv6_client_is_counted_by_its_64_block(client):
    make_user(email="karin@kramfors.example")
    for number in range(10):
        log_in(client, "karin@kramfors.example", WRONG, f"2001:db8:1:2::{number + 1:x}")
    response = log_in(client, "karin@kramfors.example", PASSWORD, "2001:db8:1:2:ffff::1")
    assert response.status_code == 429
    assert log_in(client, "karin@kramfors.example", PASSWORD, "2001:db8:1:3::1").status_code == 302


def test_owner_gets_one_email_when_the_account_sees_many_failures(app, client):
    app.config["LOGIN_FAILURE_ALERT"] = "12 per hour"
    make_user(email="karin@kramfors.example", name="Karin Holm")
    for _ in range(10):
        log_in(client, "karin@kramfors.example", WRONG, "203.0.113.1")
    for _ in range(2):
        log_in(client, "karin@kramfors.example", WRONG, "203.0.113.2")
    assert alert_emails() == []
    log_in(client, "karin@kramfors.example", WRONG, "203.0.113.2")
    for _ in range(10):
        log_in(client, "karin@kramfors.example", WRONG, "203.0.113.3")
    [alert] = alert_emails()
    assert alert.recipient == "karin@kramfors.example"
    assert alert.subject == "Många misslyckade inloggningar på ditt konto"
    assert "Hej Karin Holm!" in alert.text_body
    assert "mer än 12 gånger" in alert.text_body
    assert "203.0.113.2" in alert.text_body
    assert "http://portal.test/profil/losenord" in alert.text_body


def test_the_email_comes_again_only_after_the_alerts_time_has_passed(app, client):
    app.config["LOGIN_FAILURE_ALERT"] = "2 per hour"
    make_user(email="karin@kramfors.example")
    # From now on: the limits' in-memory storage expires keys in a thread that sees real time.
    with freeze_time(datetime.now(UTC)) as clock:
        for _ in range(8):
            log_in(client, "karin@kramfors.example", WRONG, ATTACKER)
        assert len(alert_emails()) == 1
        clock.tick(timedelta(minutes=61))
        for _ in range(3):
            log_in(client, "karin@kramfors.example", WRONG, ATTACKER)
        assert len(alert_emails()) == 2


def test_unknown_and_deactivated_accounts_get_no_email(app, client):
    app.config["LOGIN_FAILURE_ALERT"] = "2 per hour"
    make_user(email="karin@kramfors.example", active=False)
    for email in ("karin@kramfors.example", "ingen@kramfors.example"):
        for _ in range(5):
            log_in(client, email, WRONG, ATTACKER)
    assert alert_emails() == []
