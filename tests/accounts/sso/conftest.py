"""The OpenID provider is started once per test session and its mode reset after each test."""

import pytest

from tests.accounts.sso.provider import start_provider


@pytest.fixture(scope="session")
def oidc_session_provider(tmp_path_factory):
    with open(tmp_path_factory.mktemp("oidc") / "provider.log", "w") as log:
        process, provider = start_provider(log)
        yield provider
        process.kill()
        process.wait(timeout=5)


@pytest.fixture
def idp(oidc_session_provider):
    yield oidc_session_provider
    oidc_session_provider.set_mode("normal")
