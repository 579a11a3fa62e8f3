"""Delivery backends: `smtp` for real servers, `file` writes .eml files for a laptop."""

import os
import smtplib
import ssl
import tempfile
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path

from flask import current_app


class TemporaryFailure(Exception):
    """Try again later: a 4xx reply, a timeout, a refused connection."""


class PermanentFailure(Exception):
    """Never try again: a 5xx reply, or the recipient refused."""


def send(message: EmailMessage, recipient: str) -> None:
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "smtp":
        send_smtp(message, recipient)
    elif backend == "file":
        write_eml(message)
    else:
        raise PermanentFailure(f"unknown MAIL_BACKEND {backend!r}")


def send_smtp(message: EmailMessage, recipient: str) -> None:
    """Send to exactly one envelope recipient, whatever the headers say."""
    config = current_app.config
    envelope_from = parseaddr(config["MAIL_FROM"])[1]
    try:
        with smtplib.SMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]
        ) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            refused = smtp.send_message(message, from_addr=envelope_from, to_addrs=[recipient])
    except smtplib.SMTPRecipientsRefused as error:
        raise _failure_for_codes(error.recipients) from error
    except smtplib.SMTPResponseException as error:
        raise _failure(error.smtp_code, error.smtp_error) from error
    except (smtplib.SMTPException, OSError) as error:
        raise TemporaryFailure(f"{type(error).__name__}: {error}") from error
    if refused:
        raise _failure_for_codes(refused, permanent=True)


def _failure(code: int, text) -> Exception:
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    description = f"{code} {text}"
    return PermanentFailure(description) if code >= 500 else TemporaryFailure(description)


def _failure_for_codes(recipients: dict, permanent: bool = False) -> Exception:
    """A recipient refused inside a 250 reply to DATA counts as failed for that recipient."""
    code, text = next(iter(recipients.values()))
    failure = _failure(code, text)
    return PermanentFailure(str(failure)) if permanent else failure


def write_eml(message: EmailMessage) -> None:
    folder = Path(current_app.config["MAIL_OUTBOX_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = message["Message-ID"].strip("<>").replace("@", "_at_").replace("/", "_")
    fd, temp_path = tempfile.mkstemp(dir=folder, suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(message.as_bytes())
    os.replace(temp_path, folder / f"{name}.eml")
