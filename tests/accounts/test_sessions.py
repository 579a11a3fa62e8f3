"""Sessions end on the server: a copy of the session cookie taken before a logout, a password
change, a deactivation or an admin's "log out everywhere" gets the login page afterwards."""

import re
import time
from datetime import timedelta

from sqlalchemy import select

from portal.accounts import services, tasks
from portal.accounts.models import UserSession
from portal.accounts.tokens import hash_token
from portal.core.audit import AuditEntry
from portal.core.dates import utcnow
from portal.extensions import db
from tests.accounts.test_password_reset import reset_path
from tests.factories import PASSWORD, give_totp, make_user, totp_code
from tests.queries import counted_statements

NEW_PASSWORD = "höstregn-över-höga-kusten-bron"
PROFILE = "<h1>Min profil</h1>"
LOGIN_PAGE = "<h1>Logga in</h1>"


def log_in(client, user) -> None:
    response = client.post("/logga-in", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302


def copied_cookie(app, client) -> str:
    """The session cookie exactly as the browser holds it."""
    return client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value


def replayed(app, cookie: str) -> str:
    """The profile page asked for by a fresh client that has nothing but the copied cookie."""
    stranger = app.test_client()
    stranger.set_cookie(app.config["SESSION_COOKIE_NAME"], cookie)
    return stranger.get("/profil", follow_redirects=True).get_data(as_text=True)


def test_a_copied_cookie_gets_the_login_page_after_logout(app, client):
    log_in(client, make_user())
    cookie = copied_cookie(app, client)
    assert PROFILE in replayed(app, cookie)
    client.post("/logga-ut")
    assert LOGIN_PAGE in replayed(app, cookie)


def test_a_second_device_stays_logged_in_after_the_first_logs_out(app, client):
    user = make_user()
    laptop = app.test_client()
    log_in(client, user)
    log_in(laptop, user)
    client.post("/logga-ut")
    assert client.get("/profil").status_code == 302
    assert laptop.get("/profil").status_code == 200


def test_a_copied_cookie_gets_the_login_page_after_the_users_own_password_change(app, client):
    user = make_user()
    laptop = app.test_client()
    log_in(client, user)
    log_in(laptop, user)
    cookie, laptop_cookie = copied_cookie(app, client), copied_cookie(app, laptop)
    assert PROFILE in replayed(app, cookie)
    response = client.post(
        "/profil/losenord",
        data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert LOGIN_PAGE in replayed(app, cookie)
    assert LOGIN_PAGE in replayed(app, laptop_cookie)
    assert PROFILE in client.get("/profil").get_data(as_text=True)


def test_a_copied_cookie_gets_the_login_page_after_a_password_reset(app, client):
    user = make_user()
    log_in(client, user)
    cookie = copied_cookie(app, client)
    assert PROFILE in replayed(app, cookie)
    forgetful = app.test_client()
    forgetful.post("/glomt-losenord", data={"email": user.email})
    response = forgetful.post(
        reset_path(app), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert LOGIN_PAGE in replayed(app, cookie)


def test_a_copied_cookie_gets_the_login_page_after_deactivation(app, client, login_as):
    person = make_user()
    device = app.test_client()
    log_in(device, person)
    cookie = copied_cookie(app, device)
    assert PROFILE in replayed(app, cookie)
    login_as("admin")
    response = client.post(f"/admin/anvandare/{person.id}/aktiv", data={"active": "0"})
    assert response.status_code == 302
    assert LOGIN_PAGE in replayed(app, cookie)


def test_a_copied_cookie_gets_the_login_page_after_an_admin_logs_the_user_out_everywhere(
    app, client, login_as
):
    person = make_user(name="Karin Holm")
    phone, laptop = app.test_client(), app.test_client()
    log_in(phone, person)
    log_in(laptop, person)
    cookies = [copied_cookie(app, phone), copied_cookie(app, laptop)]
    assert all(PROFILE in replayed(app, cookie) for cookie in cookies)
    login_as("admin")
    response = client.post(f"/admin/anvandare/{person.id}/logga-ut-overallt")
    assert response.status_code == 302
    assert "Karin Holm är utloggad från alla enheter." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert all(LOGIN_PAGE in replayed(app, cookie) for cookie in cookies)


def test_the_person_logged_out_everywhere_can_log_in_again(app, client, login_as):
    person = make_user()
    device = app.test_client()
    log_in(device, person)
    login_as("admin")
    client.post(f"/admin/anvandare/{person.id}/logga-ut-overallt")
    assert device.get("/profil").status_code == 302
    log_in(device, person)
    assert device.get("/profil").status_code == 200


def test_logging_someone_out_everywhere_is_in_the_audit_log(app, client, login_as):
    person = make_user()
    admin = login_as("admin")
    client.post(f"/admin/anvandare/{person.id}/logga-ut-overallt")
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity == "user"))
    assert (entry.actor_id, entry.action, entry.entity_id) == (admin.id, "end_sessions", person.id)
    assert entry.changes == {"session_version": [1, 2]}


def test_resetting_an_admin_from_the_command_line_ends_their_sessions(app, client):
    admin = make_user(role="admin", email="astrid.nordin@lansbiblioteket.example")
    log_in(client, admin)
    cookie = copied_cookie(app, client)
    services.create_or_reset_admin(admin.email, "Astrid Nordin", NEW_PASSWORD)
    db.session.commit()
    assert LOGIN_PAGE in replayed(app, cookie)


def test_the_admin_page_offers_log_out_everywhere_for_others_only(app, client, login_as):
    person = make_user()
    admin = login_as("admin")
    assert "Logga ut överallt" in client.get(f"/admin/anvandare/{person.id}").get_data(True)
    assert "Logga ut överallt" not in client.get(f"/admin/anvandare/{admin.id}").get_data(True)


def test_admin_cannot_log_themselves_out_everywhere(app, client, login_as):
    admin = login_as("admin")
    cookie = copied_cookie(app, client)
    response = client.post(f"/admin/anvandare/{admin.id}/logga-ut-overallt")
    assert response.status_code == 400
    assert "Du kan inte logga ut dig själv här." in response.get_data(as_text=True)
    assert PROFILE in replayed(app, cookie)


def test_staff_cannot_log_someone_out_everywhere(app, client, login_as):
    person = make_user()
    device = app.test_client()
    log_in(device, person)
    login_as("staff")
    assert client.post(f"/admin/anvandare/{person.id}/logga-ut-overallt").status_code == 403
    assert device.get("/profil").status_code == 200


def test_logging_out_all_other_devices_keeps_this_one(app, client):
    user = make_user()
    laptop = app.test_client()
    log_in(client, user)
    log_in(laptop, user)
    cookie = copied_cookie(app, client)
    response = client.post("/profil/logga-ut-andra-enheter")
    assert response.status_code == 302
    page = client.get("/profil").get_data(as_text=True)
    assert "Du är utloggad från alla andra enheter." in page
    assert laptop.get("/profil").status_code == 302
    assert LOGIN_PAGE in replayed(app, cookie)


def test_a_copied_cookie_gets_the_login_page_after_the_session_timed_out(app, client):
    log_in(client, make_user())
    cookie = copied_cookie(app, client)
    with client.session_transaction() as saved:
        saved["seen_at"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 1
    assert client.get("/profil").status_code == 302
    assert LOGIN_PAGE in replayed(app, cookie)


def test_a_cookie_without_a_session_id_gets_the_login_page(app, client):
    """A cookie signed before sessions had rows, or one made by hand with the secret key."""
    user = make_user()
    with client.session_transaction() as saved:
        saved["_user_id"] = user.get_id()
        saved["login_at"] = saved["seen_at"] = int(time.time())
    assert LOGIN_PAGE in client.get("/profil", follow_redirects=True).get_data(as_text=True)


def test_the_database_keeps_a_hash_of_the_session_id_never_the_id(app, client):
    user = make_user()
    log_in(client, user)
    with client.session_transaction() as saved:
        session_id = saved["sid"]
    row = db.session.scalar(select(UserSession).where(UserSession.user_id == user.id))
    assert row.sid_hash == hash_token(session_id)
    assert session_id not in repr(db.session.execute(select(UserSession.__table__)).all())


def test_a_page_checks_the_session_in_the_query_that_loads_the_user(app, client):
    log_in(client, make_user())
    with counted_statements() as statements:
        assert client.get("/profil").status_code == 200
    session_checks = [sql for sql in statements if "user_sessions" in sql]
    assert len(session_checks) == 1
    assert re.search(r"FROM users JOIN user_sessions", session_checks[0])


def test_beat_purges_ended_and_expired_sessions_and_keeps_live_ones(app):
    user = make_user()
    absolute = timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"])
    live = services.open_session(user, "levande", "Firefox", "192.0.2.10")
    ended = services.open_session(user, "utloggad", "Firefox", "192.0.2.10")
    expired = services.open_session(user, "gammal", "Safari", "192.0.2.11")
    expired.created_at = utcnow() - absolute - timedelta(minutes=1)
    services.end_session("utloggad")
    db.session.commit()
    assert ended.ended_at is not None
    assert tasks.purge_sessions() == 2
    db.session.expire_all()
    assert db.session.scalars(select(UserSession.id)).all() == [live.id]


def test_beat_purges_sessions_every_hour(app):
    entry = app.extensions["celery"].conf.beat_schedule["purge-sessions"]
    assert entry["task"] == "portal.accounts.tasks.purge_sessions"
    assert entry["schedule"] == 3600.0


def csrf_token_from(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def log_in_with_token(client, user) -> str:
    """Log in through the form with its CSRF token; returns a token for the next forms."""
    token = csrf_token_from(client.get("/logga-in").get_data(as_text=True))
    form = {"email": user.email, "password": PASSWORD, "csrf_token": token}
    response = client.post("/logga-in", data=form)
    assert response.status_code == 302
    if response.headers["Location"] == "/logga-in/kod":
        token = csrf_token_from(client.get("/logga-in/kod").get_data(as_text=True))
        form = {"code": totp_code(), "csrf_token": token}
        assert client.post("/logga-in/kod", data=form).status_code == 302
    return csrf_token_from(client.get("/profil").get_data(as_text=True))


def test_log_out_everywhere_without_csrf_token_gets_400_and_ends_nothing(csrf_app, client):
    person = make_user()
    device = csrf_app.test_client()
    log_in_with_token(device, person)
    log_in_with_token(client, give_totp(make_user(role="admin")))
    response = client.post(f"/admin/anvandare/{person.id}/logga-ut-overallt")
    assert response.status_code == 400
    assert device.get("/profil").status_code == 200


def test_log_out_everywhere_with_csrf_token_is_accepted(csrf_app, client):
    """The control for the test above: the same post with its token goes through."""
    person = make_user()
    device = csrf_app.test_client()
    log_in_with_token(device, person)
    token = log_in_with_token(client, give_totp(make_user(role="admin")))
    response = client.post(
        f"/admin/anvandare/{person.id}/logga-ut-overallt", data={"csrf_token": token}
    )
    assert response.status_code == 302
    assert device.get("/profil").status_code == 302


def test_logging_out_other_devices_without_csrf_token_gets_400_and_ends_nothing(csrf_app, client):
    user = make_user()
    laptop = csrf_app.test_client()
    log_in_with_token(laptop, user)
    log_in_with_token(client, user)
    assert client.post("/profil/logga-ut-andra-enheter").status_code == 400
    assert laptop.get("/profil").status_code == 200
