"""Personal access tokens on the profile: made with a name and an expiry, shown once, kept as
a hash, revoked; and which tokens the API refuses."""

import hashlib
import io
import json
import re
import zipfile
from datetime import timedelta

from sqlalchemy import select

from portal.accounts.api_tokens import services
from portal.accounts.api_tokens.models import ApiToken
from portal.core.dates import utcnow
from portal.extensions import db
from portal.privacy.erasure import erase_user
from tests.api.factories import bearer, make_token
from tests.factories import make_user

PROJECTS = "/api/v1/projects"


def create(client, **form):
    data = {"api-token-name": "Statistik i Excel", "api-token-lifetime": "90", **form}
    return client.post("/profil/api-nycklar", data=data)


def shown_secret(page: str) -> str:
    return re.search(r'id="new-api-token" type="text" readonly value="(lbp_[^"]+)"', page).group(1)


def test_a_new_token_is_shown_once_and_kept_only_as_a_hash(client, login_as):
    user = login_as("member")
    page = create(client).get_data(as_text=True)
    secret = shown_secret(page)
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == user.id))
    assert token.name == "Statistik i Excel" and token.scope == "read"
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in client.get("/profil").get_data(as_text=True)
    assert client.get(PROJECTS, headers=bearer(secret)).status_code == 200


def test_the_profile_lists_the_token_with_its_expiry_and_last_use(client, login_as):
    user = login_as("member")
    secret = make_token(user, name="Mitt skript")
    page = client.get("/profil").get_data(as_text=True)
    assert "Mitt skript" in page and "Aldrig" in page
    client.get(PROJECTS, headers=bearer(secret))
    page = client.get("/profil").get_data(as_text=True)
    assert "Aldrig" not in page.split('id="api-nycklar"')[1].split("</table>")[0]


def test_a_date_in_the_past_is_refused_beside_the_field(client, login_as):
    login_as("member")
    yesterday = (services.swedish_today() - timedelta(days=1)).isoformat()
    page = create(client, **{"api-token-lifetime": "date", "api-token-expires_on": yesterday})
    text = page.get_data(as_text=True)
    assert "Välj ett datum efter i dag." in text
    assert 'value="Statistik i Excel"' in text
    assert db.session.scalar(select(ApiToken)) is None


def test_a_token_lasts_at_most_a_year(client, login_as):
    login_as("member")
    later = (services.swedish_today() + timedelta(days=366)).isoformat()
    page = create(client, **{"api-token-lifetime": "date", "api-token-expires_on": later})
    assert "En nyckel kan gälla i högst ett år." in page.get_data(as_text=True)
    assert db.session.scalar(select(ApiToken)) is None


def test_a_revoked_token_gets_401(client, login_as):
    user = login_as("member")
    secret = make_token(user)
    token = db.session.scalar(select(ApiToken))
    response = client.post(f"/profil/api-nycklar/{token.id}/aterkalla")
    assert response.status_code == 302
    response = client.get(PROJECTS, headers=bearer(secret))
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert "Återkallad" in client.get("/profil").get_data(as_text=True)


def test_someone_elses_token_cannot_be_revoked(client, login_as):
    secret = make_token(make_user())
    login_as("member")
    token = db.session.scalar(select(ApiToken))
    assert client.post(f"/profil/api-nycklar/{token.id}/aterkalla").status_code == 403
    assert client.get(PROJECTS, headers=bearer(secret)).status_code == 200


def test_no_token_or_an_unknown_one_gets_401_as_problem_json(client):
    for headers in ({}, bearer("lbp_gissat"), {"Authorization": "Basic YTpi"}):
        response = client.get(PROJECTS, headers=headers)
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
        assert response.get_json()["status"] == 401


def test_an_expired_token_gets_401(client):
    user = make_user()
    secret = make_token(user)
    db.session.scalar(select(ApiToken)).expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    response = client.get(PROJECTS, headers=bearer(secret))
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["WWW-Authenticate"]


def test_the_token_of_a_deactivated_person_stops_working(client):
    user = make_user()
    secret = make_token(user)
    user.active = False
    db.session.commit()
    assert client.get(PROJECTS, headers=bearer(secret)).status_code == 401


def test_erasure_deletes_the_persons_tokens(client):
    user = make_user()
    secret = make_token(user)
    erase_user(make_user(role="admin"), user)
    db.session.commit()
    assert db.session.scalar(select(ApiToken)) is None
    assert client.get(PROJECTS, headers=bearer(secret)).status_code == 401


def test_last_use_is_written_at_most_once_a_minute(client):
    user = make_user()
    secret = make_token(user)
    client.get(PROJECTS, headers=bearer(secret))
    token = db.session.scalar(select(ApiToken))
    first = token.last_used_at
    assert first is not None
    client.get(PROJECTS, headers=bearer(secret))
    db.session.refresh(token)
    assert token.last_used_at == first


def test_the_data_download_lists_tokens_without_their_secrets(client, login_as):
    user = login_as("member")
    secret = make_token(user, name="Mitt skript")
    archive = client.get("/profil/mina-uppgifter/hamta").data
    data = json.loads(zipfile.ZipFile(io.BytesIO(archive)).read("uppgifter.json"))
    assert [token["name"] for token in data["api_tokens"]] == ["Mitt skript"]
    assert secret[4:20] not in json.dumps(data)
