"""Security headers on every response: pages, JSON, static files and error pages."""

import pytest

from portal import create_app


def raise_error():
    raise RuntimeError("oväntat fel")


pytestmark = pytest.mark.own_app

RESPONSES = {
    "login page": ("GET", "/logga-in", 200),
    "healthz": ("GET", "/healthz", 200),
    "static file": ("GET", "/static/css/portal.css", 200),
    "not found page": ("GET", "/finns-inte", 404),
    "method not allowed page": ("GET", "/logga-ut", 405),
    "login redirect": ("GET", "/profil", 302),
    "server error page": ("GET", "/trasig", 500),
}


@pytest.fixture
def responses(app, client):
    app.add_url_rule("/trasig", "broken", raise_error)
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def fetch(name):
        method, path, status = RESPONSES[name]
        with app.app_context():
            response = client.open(path, method=method)
        assert response.status_code == status
        return response

    return fetch


@pytest.mark.parametrize("name", RESPONSES)
def test_content_security_policy_forbids_inline_code_and_framing(responses, name):
    policy = responses(name).headers["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split("; ")}
    assert "'unsafe-inline'" not in policy
    assert directives["default-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize("name", RESPONSES)
def test_browsers_may_not_sniff_content_types(responses, name):
    assert responses(name).headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("name", RESPONSES)
def test_referrer_is_not_sent_to_other_sites_in_full(responses, name):
    assert responses(name).headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("name", RESPONSES)
def test_no_hsts_outside_production(responses, name):
    assert "Strict-Transport-Security" not in responses(name).headers


@pytest.fixture
def production_app(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", "en-lång-hemlig-nyckel-bara-för-testet")
    return create_app(
        "production",
        {
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            "CELERY_BROKER_URL": "memory://",
            "RATELIMIT_STORAGE_URI": "memory://",
            "INSTANCE_DIR": str(tmp_path),
        },
    )


def test_production_sends_hsts(production_app):
    response = production_app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_sends_hsts_on_error_pages_too(production_app):
    response = production_app.test_client().get("/finns-inte")
    assert response.status_code == 404
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", {"INSTANCE_DIR": str(tmp_path)})
