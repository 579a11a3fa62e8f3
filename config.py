"""Configuration read from the environment (and a local `.env` file).

`PORTAL_ENV` picks the class: `development` (default), `production` or `testing`. The values are
read when a configuration object is made, that is when the app, the worker or beat is created,
never when this module is imported: a process sees the environment it was started with.
Every variable is listed in README.md.
"""

import os
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
DEVELOPMENT_SECRET_KEY = "dev-only-secret-key-change-me"
MIN_SECRET_KEY_LENGTH = 32
LOG_FORMATS = ("plain", "json")


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


def instance_path() -> Path:
    return Path(env("PORTAL_INSTANCE_DIR") or BASE_DIR / "instance")


class Config:
    """The settings for a laptop; every value comes from the environment as it is now."""

    PORTAL_ENV = "development"

    def __init__(self) -> None:
        instance = instance_path()
        self.INSTANCE_DIR = str(instance)
        self.SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
        self.SQLALCHEMY_DATABASE_URI = env("DATABASE_URL", f"sqlite:///{instance / 'portal.db'}")
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
        self.DATABASE_CONNECT_TIMEOUT_SECONDS = env_int("DATABASE_CONNECT_TIMEOUT_SECONDS", 5)

        self.CELERY_BROKER_URL = env(
            "CELERY_BROKER_URL", f"sqla+sqlite:///{instance / 'celery-broker.db'}"
        )
        # The web publishes with a short timeout, so a frozen Redis cannot hold a request.
        self.BROKER_TIMEOUT_SECONDS = float(env("BROKER_TIMEOUT_SECONDS", "1.5"))
        # The worker and beat wait much longer: a freeze shorter than this is only a pause, and
        # an acknowledgement that timed out would cost the worker a task slot.
        self.WORKER_BROKER_TIMEOUT_SECONDS = float(env("WORKER_BROKER_TIMEOUT_SECONDS", "60"))
        # "web" here; portal/worker.py builds the app for Celery with "worker" (worker and beat).
        self.CELERY_ROLE = "web"
        # Beat's heartbeat task; a worker counts as consuming while its stamp is younger than
        # WORKER_HEARTBEAT_MAX_AGE_SECONDS (/readyz, `flask portal worker-health`).
        self.WORKER_HEARTBEAT_SECONDS = env_int("WORKER_HEARTBEAT_SECONDS", 30)
        self.WORKER_HEARTBEAT_MAX_AGE_SECONDS = env_int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", 120)

        self.MAIL_BACKEND = env("MAIL_BACKEND", "file")
        self.MAIL_OUTBOX_DIR = env("MAIL_OUTBOX_DIR", str(instance / "outbox"))
        self.MAIL_SERVER = env("MAIL_SERVER", "localhost")
        self.MAIL_PORT = env_int("MAIL_PORT", 25)
        self.MAIL_USERNAME = env("MAIL_USERNAME")
        self.MAIL_PASSWORD = env("MAIL_PASSWORD")
        self.MAIL_USE_TLS = env_bool("MAIL_USE_TLS")
        self.MAIL_TIMEOUT_SECONDS = float(env("MAIL_TIMEOUT_SECONDS", "10"))
        self.MAIL_FROM = env("MAIL_FROM", "Länsbiblioteket <portal@lansbiblioteket.example>")

        self.OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
        self.OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
        self.OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 60)
        self.OUTBOX_CLAIM_TIMEOUT_SECONDS = env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 300)
        # A sending worker whose status write fails keeps what it has sent in memory and tries
        # the write again, sending nothing more, for up to this long (a database restart).
        self.OUTBOX_RECORD_RETRY_SECONDS = env_int("OUTBOX_RECORD_RETRY_SECONDS", 600)
        self.NEWS_PUBLISH_SECONDS = env_int("NEWS_PUBLISH_SECONDS", 60)
        self.STATISTICS_REFRESH_SECONDS = env_int("STATISTICS_REFRESH_SECONDS", 300)
        self.STATISTICS_MAX_AGE_SECONDS = env_int("STATISTICS_MAX_AGE_SECONDS", 900)
        # Deadline reminders: days before a deadline (and the day after it is missed), sent by
        # beat once a day at this Swedish time.
        self.DEADLINE_REMINDER_DAYS = env("DEADLINE_REMINDER_DAYS", "14,3")
        self.DEADLINE_REMINDER_TIME = env("DEADLINE_REMINDER_TIME", "07:00")
        self.REPORT_DRAFT_TIME = env("REPORT_DRAFT_TIME", "06:30")
        # Documents: the largest file taken (uploads get this plus room for the form's fields as
        # their request limit), and how often beat purges the bin and resends lost text
        # extraction.
        self.DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 50 * 1024 * 1024)
        self.DOCUMENT_PURGE_SECONDS = env_int("DOCUMENT_PURGE_SECONDS", 3600)
        # Emails per delivery task when many go at once (news, digests, the sweep): each batch is
        # sent over one SMTP connection.
        self.OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 200)
        # Sent and failed emails keep their bodies this long (a person's data export shows
        # them); then beat empties the bodies and drops the attachments, once a day at
        # OUTBOX_RETENTION_TIME (Swedish time). Recipient, subject and status stay.
        self.OUTBOX_RETENTION_DAYS = env_int("OUTBOX_RETENTION_DAYS", 90)
        self.OUTBOX_RETENTION_TIME = env("OUTBOX_RETENTION_TIME", "03:30")
        # Digests: the daily one at this hour (Swedish time), the weekly one on this weekday too.
        self.DIGEST_HOUR = env_int("DIGEST_HOUR", 7)
        self.DIGEST_WEEKDAY = env("DIGEST_WEEKDAY", "monday")
        # Reports to funders: with four eyes on, whoever asked for review or wrote the latest
        # version may not approve the report.
        self.REPORT_FOUR_EYES = env_bool("REPORT_FOUR_EYES", True)

        self.PORTAL_BASE_URL = env(
            "PORTAL_BASE_URL", f"http://127.0.0.1:{env('PORTAL_PORT', '5000')}"
        )
        self.SERVER_NAME = env("SERVER_NAME")
        self.PROXY_FIX_HOPS = env_int("PROXY_FIX_HOPS", 0)

        self.SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
        self.SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
        # How often beat deletes the rows of sessions that have ended or passed the absolute limit.
        self.SESSION_PURGE_SECONDS = env_int("SESSION_PURGE_SECONDS", 3600)
        # The session is sent again when it changes (sessions.py: at most once a minute), not on
        # every response; its lifetime is ended by the idle and absolute limits, not the cookie.
        self.SESSION_REFRESH_EACH_REQUEST = False
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE")
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"

        self.RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "memory://")
        self.RATELIMIT_HEADERS_ENABLED = False
        # A stopped Redis must not take logins down with it: limits fail open, briefly.
        self.RATELIMIT_SWALLOW_ERRORS = True
        self.RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
        # Failed logins (portal/accounts/throttle.py): per account from one address, per address
        # whatever the account (one address trying a password on many accounts), and a high
        # per-account backstop that only many addresses together can reach. Flask-Limiter
        # strings; several limits are separated by ";".
        self.LOGIN_FAILURE_LIMIT_ACCOUNT_ADDRESS = env(
            "LOGIN_FAILURE_LIMIT_ACCOUNT_ADDRESS", "10 per 30 minutes"
        )
        self.LOGIN_FAILURE_LIMIT_ADDRESS = env(
            "LOGIN_FAILURE_LIMIT_ADDRESS", "30 per 15 minutes;100 per day"
        )
        self.LOGIN_FAILURE_LIMIT_ACCOUNT = env("LOGIN_FAILURE_LIMIT_ACCOUNT", "100 per hour")
        # Requests per personal access token to the read API (/api/v1), whatever they ask.
        self.API_RATE_LIMIT = env("API_RATE_LIMIT", "600 per minute")
        # The account's owner gets one email when its failures pass this, and no other until the
        # same time has gone by.
        self.LOGIN_FAILURE_ALERT = env("LOGIN_FAILURE_ALERT", "20 per hour")
        # Passkeys (WebAuthn) are bound to a domain (the relying party id) and checked against
        # the address the browser was on (the origin). Unset, both come from the address each
        # request came to (SERVER_NAME when set; the proxy's scheme with PROXY_FIX_HOPS). Set
        # them when the portal has more than one name: a passkey made on one works only there.
        self.WEBAUTHN_RP_ID = env("WEBAUTHN_RP_ID")
        self.WEBAUTHN_ORIGIN = env("WEBAUTHN_ORIGIN")
        # Roles that must have a second factor (an authenticator app): after the password such
        # a person without one is sent to enrolment and reaches nothing else until it is done.
        # Comma-separated; "none" requires it of no one. Everyone else may enrol.
        self.MFA_REQUIRED_ROLES = tuple(
            role.strip()
            for role in env("MFA_REQUIRED_ROLES", "admin,staff").split(",")
            if role.strip()
        )
        # Login with a municipal account (OpenID Connect, portal/accounts/sso/): how long an
        # IdP's discovery document and keys are kept, and whether an issuer may be plain http
        # on this machine's loopback (development and the tests' own provider; never in
        # production).
        self.SSO_METADATA_CACHE_SECONDS = env_int("SSO_METADATA_CACHE_SECONDS", 300)
        self.SSO_ALLOW_HTTP_LOOPBACK = env_bool("SSO_ALLOW_HTTP_LOOPBACK")
        # The open form for reporting an accessibility barrier: posts per IP address.
        self.BARRIER_REPORT_LIMIT = env("BARRIER_REPORT_LIMIT", "10 per hour")

        # Read models cached until the data changes (portal/core/read_cache.py): in each web
        # process by default, or shared in Redis when CACHE_REDIS_URL is set.
        self.CACHE_REDIS_URL = env("CACHE_REDIS_URL")
        self.CACHE_DEFAULT_TIMEOUT = env_int("CACHE_TIMEOUT_SECONDS", 600)
        self.CACHE_THRESHOLD = 2000
        self.CACHE_KEY_PREFIX = "portal:"

        self.MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 1024 * 1024)
        self.WTF_CSRF_TIME_LIMIT = None

        self.BABEL_DEFAULT_LOCALE = "sv"
        self.BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
        self.LANGUAGES = ("sv", "en")

        self.LOG_FORMAT = env("LOG_FORMAT", "plain")
        self.INVITATION_DAYS = 7
        self.PASSWORD_RESET_HOURS = 1
        self.HSTS = False

    def check(self) -> None:
        """Refuse settings this environment cannot run with."""
        if self.LOG_FORMAT not in LOG_FORMATS:
            raise RuntimeError(f"LOG_FORMAT must be plain or json, not {self.LOG_FORMAT!r}.")


class ProductionConfig(Config):
    PORTAL_ENV = "production"

    def __init__(self) -> None:
        super().__init__()
        self.SESSION_COOKIE_SECURE = True
        self.REMEMBER_COOKIE_SECURE = True
        self.HSTS = True
        self.SSO_ALLOW_HTTP_LOOPBACK = False

    def check(self) -> None:
        """Refuse a missing, development or short secret key: it signs every session."""
        super().check()
        key = self.SECRET_KEY
        if key == DEVELOPMENT_SECRET_KEY or len(key) < MIN_SECRET_KEY_LENGTH:
            raise RuntimeError(
                "SECRET_KEY must be set in production (PORTAL_ENV=production) to a random value "
                f"of at least {MIN_SECRET_KEY_LENGTH} characters, not the development key. "
                "Make one with: python3 -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )


class TestConfig(Config):
    PORTAL_ENV = "testing"

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = True
        self.SECRET_KEY = "test-secret-key"
        self.SQLALCHEMY_DATABASE_URI = "sqlite://"
        self.CELERY_BROKER_URL = "memory://"
        self.MAIL_BACKEND = "file"
        self.RATELIMIT_STORAGE_URI = "memory://"
        self.SERVER_NAME = None
        self.PORTAL_BASE_URL = "http://portal.test"
        self.SSO_ALLOW_HTTP_LOOPBACK = True
        # Tests see every change on the statistics page at once, unless a test says otherwise.
        self.STATISTICS_MAX_AGE_SECONDS = 0


CONFIGS = {"development": Config, "production": ProductionConfig, "testing": TestConfig}


def config_for(name: str | None = None) -> Config:
    """The configuration for `name` (default: PORTAL_ENV), read from the environment now."""
    load_dotenv(BASE_DIR / ".env")
    name = name or env("PORTAL_ENV", "development")
    if name not in CONFIGS:
        raise RuntimeError(f"PORTAL_ENV must be one of {', '.join(CONFIGS)}, not {name!r}.")
    return CONFIGS[name]()
