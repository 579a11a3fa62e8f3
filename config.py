"""Configuration read from the environment (and a local `.env` file).

`PORTAL_ENV` picks the class: `development` (default), `production` or `testing`.
Every variable is listed in README.md.
"""

import os
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_PATH = Path(os.environ.get("PORTAL_INSTANCE_DIR") or BASE_DIR / "instance")

load_dotenv(BASE_DIR / ".env")


def env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name)
    return value if value not in (None, "") else default


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").lower() in ("1", "true", "yes", "on")


class Config:
    INSTANCE_DIR = str(INSTANCE_PATH)
    SECRET_KEY = env("SECRET_KEY", "dev-only-secret-key-change-me")
    SQLALCHEMY_DATABASE_URI = env("DATABASE_URL", f"sqlite:///{INSTANCE_PATH / 'portal.db'}")
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    DATABASE_CONNECT_TIMEOUT_SECONDS = env_int("DATABASE_CONNECT_TIMEOUT_SECONDS", 5)

    CELERY_BROKER_URL = env(
        "CELERY_BROKER_URL", f"sqla+sqlite:///{INSTANCE_PATH / 'celery-broker.db'}"
    )
    BROKER_TIMEOUT_SECONDS = float(env("BROKER_TIMEOUT_SECONDS", "1.5"))

    MAIL_BACKEND = env("MAIL_BACKEND", "file")
    MAIL_OUTBOX_DIR = env("MAIL_OUTBOX_DIR", str(INSTANCE_PATH / "outbox"))
    MAIL_SERVER = env("MAIL_SERVER", "localhost")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USERNAME = env("MAIL_USERNAME")
    MAIL_PASSWORD = env("MAIL_PASSWORD")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS")
    MAIL_TIMEOUT_SECONDS = float(env("MAIL_TIMEOUT_SECONDS", "10"))
    MAIL_FROM = env("MAIL_FROM", "Länsbiblioteket <portal@lansbiblioteket.example>")

    OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 8)
    OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
    OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 60)
    OUTBOX_CLAIM_TIMEOUT_SECONDS = env_int("OUTBOX_CLAIM_TIMEOUT_SECONDS", 300)
    NEWS_PUBLISH_SECONDS = env_int("NEWS_PUBLISH_SECONDS", 60)
    STATISTICS_REFRESH_SECONDS = env_int("STATISTICS_REFRESH_SECONDS", 300)
    STATISTICS_MAX_AGE_SECONDS = env_int("STATISTICS_MAX_AGE_SECONDS", 900)
    # Deadline reminders: days before a deadline (and the day after it is missed), sent by
    # beat once a day at this Swedish time.
    DEADLINE_REMINDER_DAYS = env("DEADLINE_REMINDER_DAYS", "14,3")
    DEADLINE_REMINDER_TIME = env("DEADLINE_REMINDER_TIME", "07:00")
    REPORT_DRAFT_TIME = env("REPORT_DRAFT_TIME", "06:30")
    # Documents: the largest file taken (uploads get this plus room for the form's fields as
    # their request limit), and how often beat purges the bin and resends lost text extraction.
    DOCUMENT_MAX_BYTES = env_int("DOCUMENT_MAX_BYTES", 50 * 1024 * 1024)
    DOCUMENT_PURGE_SECONDS = env_int("DOCUMENT_PURGE_SECONDS", 3600)
    # Emails per delivery task when many go at once (news, digests, the sweep): each batch is
    # sent over one SMTP connection.
    OUTBOX_BATCH_SIZE = env_int("OUTBOX_BATCH_SIZE", 200)
    # Digests: the daily one at this hour (Swedish time), the weekly one on this weekday too.
    DIGEST_HOUR = env_int("DIGEST_HOUR", 7)
    DIGEST_WEEKDAY = env("DIGEST_WEEKDAY", "monday")
    # Reports to funders: with four eyes on, whoever asked for review or wrote the latest
    # version may not approve the report.
    REPORT_FOUR_EYES = env_bool("REPORT_FOUR_EYES", True)

    PORTAL_BASE_URL = env("PORTAL_BASE_URL", f"http://127.0.0.1:{env('PORTAL_PORT', '5000')}")
    SERVER_NAME = env("SERVER_NAME")
    PROXY_FIX_HOPS = env_int("PROXY_FIX_HOPS", 0)

    SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
    SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 12)
    # The session is sent again when it changes (sessions.py: at most once a minute), not on
    # every response; its lifetime is ended by the idle and absolute limits, not the cookie.
    SESSION_REFRESH_EACH_REQUEST = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = False
    # A stopped Redis must not take logins down with it: limits fail open, briefly.
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    LOGIN_FAILURE_LIMIT = env("LOGIN_FAILURE_LIMIT", "10 per 30 minutes")

    # Read models cached until the data changes (portal/core/read_cache.py): in each web
    # process by default, or shared in Redis when CACHE_REDIS_URL is set.
    CACHE_REDIS_URL = env("CACHE_REDIS_URL")
    CACHE_DEFAULT_TIMEOUT = env_int("CACHE_TIMEOUT_SECONDS", 600)
    CACHE_THRESHOLD = 2000
    CACHE_KEY_PREFIX = "portal:"

    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 1024 * 1024)
    WTF_CSRF_TIME_LIMIT = None

    BABEL_DEFAULT_LOCALE = "sv"
    BABEL_DEFAULT_TIMEZONE = "Europe/Stockholm"
    LANGUAGES = ("sv", "en")

    INVITATION_DAYS = 7
    PASSWORD_RESET_HOURS = 1
    HSTS = False


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    HSTS = True

    @classmethod
    def check(cls) -> str:
        """The secret key from the environment as it is now; refuse a missing or development one."""
        key = env("SECRET_KEY")
        if not key or key == Config.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production (PORTAL_ENV=production).")
        return key


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    CELERY_BROKER_URL = "memory://"
    MAIL_BACKEND = "file"
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = None
    PORTAL_BASE_URL = "http://portal.test"
    # Tests see every change on the statistics page at once, unless a test says otherwise.
    STATISTICS_MAX_AGE_SECONDS = 0


CONFIGS = {"development": Config, "production": ProductionConfig, "testing": TestConfig}


def config_for(name: str | None = None) -> type[Config]:
    return CONFIGS[name or env("PORTAL_ENV", "development")]
