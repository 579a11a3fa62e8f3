"""Delivery backends: `smtp` for real servers, `file` writes .eml files for a laptop."""

from __future__ import annotations

import os
import re
import smtplib
import socket
import ssl
import tempfile
from collections.abc import Callable
from contextlib import contextmanager, suppress
from email.utils import parseaddr
from pathlib import Path

from flask import current_app


class TemporaryFailure(Exception):
    """Try again later: a 4xx reply, a timeout, a refused connection."""

    # True when the message may have reached the server all the same: the connection broke
    # during the transaction, perhaps after the server had accepted the message. A reply code
    # or a connection that never opened means it was certainly not delivered.
    maybe_delivered = False


class PermanentFailure(Exception):
    """Never try again: a 5xx reply, or the recipient refused."""

    maybe_delivered = False


class HandoverCancelled(Exception):
    """The sender took the message back before the server had it: nothing was delivered."""


# Asked just before a message is handed over (the SMTP server gets the final "."; the .eml file
# gets its name); returning False takes the message back, and so does raising.
BeforeHandover = Callable[[], bool]


def always() -> bool:
    return True


def send(message: bytes, recipient: str, message_id: str) -> None:
    with connection() as mailer:
        mailer.send(message, recipient, message_id)


@contextmanager
def connection():
    """A mailer for many messages in a row: one SMTP connection, opened at the first message
    and reused, or the .eml folder. Each `send` raises Temporary- or PermanentFailure for its
    own message only; after the connection itself has failed, the rest fail fast with the
    same error instead of each waiting for its own timeout."""
    backend = current_app.config["MAIL_BACKEND"]
    mailer: SMTPMailer | FileMailer | BrokenMailer
    if backend == "smtp":
        mailer = SMTPMailer(current_app.config)
    elif backend == "file":
        mailer = FileMailer(Path(current_app.config["MAIL_OUTBOX_DIR"]))
    else:
        mailer = BrokenMailer(PermanentFailure(f"unknown MAIL_BACKEND {backend!r}"))
    try:
        yield mailer
    finally:
        mailer.close()


class BrokenMailer:
    def __init__(self, failure: Exception):
        self.failure = failure

    def send(
        self,
        message: bytes,
        recipient: str,
        message_id: str,
        before_handover: BeforeHandover = always,
    ) -> None:
        raise self.failure

    def close(self) -> None:
        pass


class FileMailer:
    def __init__(self, folder: Path):
        self.folder = folder

    def send(
        self,
        message: bytes,
        recipient: str,
        message_id: str,
        before_handover: BeforeHandover = always,
    ) -> None:
        write_eml(message, message_id, self.folder, before_handover)

    def close(self) -> None:
        pass


class SMTPMailer:
    """Send each message to exactly one envelope recipient, whatever its headers say."""

    def __init__(self, config):
        self.config = config
        self.envelope_from = parseaddr(config["MAIL_FROM"])[1]
        self.smtp: HandoverSMTP | None = None
        self.broken: Exception | None = None

    def _open(self) -> HandoverSMTP:
        config = self.config
        smtp = HandoverSMTP(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"]
        )
        try:
            # The final "." is a small write right after the body: without this, Nagle's
            # algorithm holds it until the server's delayed acknowledgement of the body.
            assert smtp.sock is not None  # connected in the constructor, given a host
            smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if config["MAIL_USE_TLS"]:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def send(
        self,
        message: bytes,
        recipient: str,
        message_id: str,
        before_handover: BeforeHandover = always,
    ) -> None:
        """`message` is the whole message, CRLF line ends, as `messages.message_bytes` makes it.
        `before_handover` is asked after the body went to the server, before the final "."."""
        if self.broken is not None:  # this message never left: a fresh, certain failure
            raise type(self.broken)(*self.broken.args)
        try:
            if self.smtp is None:
                self.smtp = self._open()
            self.smtp.before_handover = before_handover
            refused = self.smtp.sendmail(self.envelope_from, [recipient], message)
        except smtplib.SMTPRecipientsRefused as error:
            raise _failure_for_codes(error.recipients) from error
        except smtplib.SMTPResponseException as error:
            failure = _failure(error.smtp_code, error.smtp_error)
            if self.smtp is None:  # refused while greeting or logging in: so is every message
                self.broken = failure
            raise failure from error
        except (smtplib.SMTPException, OSError) as error:
            self.broken = TemporaryFailure(f"{type(error).__name__}: {error}")
            self.broken.maybe_delivered = self.smtp is not None  # it broke during the message
            self.close()
            raise self.broken from error
        except BaseException:  # taken back mid-message: the connection cannot go on
            if self.smtp is not None:
                self.smtp.close()
                self.smtp = None
            raise
        if refused:
            raise _failure_for_codes(refused, permanent=True)

    def close(self) -> None:
        if self.smtp is not None:
            with suppress(smtplib.SMTPException, OSError):
                self.smtp.quit()
            with suppress(OSError):
                self.smtp.close()
            self.smtp = None


class HandoverSMTP(smtplib.SMTP):
    """smtplib's client, asking `before_handover` between a message's body and the final "."
    that hands it to the server. A sender that records each email before the next one's "."
    can then have only one email per connection handed over and not recorded, while the
    envelope and body of that email travel during the record's write."""

    before_handover: BeforeHandover = staticmethod(always)

    def data(self, msg: bytes):  # type: ignore[override]  # sendmail always passes bytes
        self.putcmd("data")
        code, reply = self.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        body = LEADING_DOT.sub(b"..", msg)
        self.send(body if body.endswith(b"\r\n") else body + b"\r\n")
        if not self.before_handover():
            raise HandoverCancelled()
        self.send(b".\r\n")
        return self.getreply()


# RFC 5321 4.5.2: a line of the body that starts with "." gets one more.
LEADING_DOT = re.compile(rb"(?m)^\.")


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


def write_eml(
    message: bytes, message_id: str, folder: Path, before_handover: BeforeHandover = always
) -> None:
    """Write the message under a temporary name, and give it its .eml name (which is when a
    reader of the folder sees it) only if `before_handover` agrees."""
    folder.mkdir(parents=True, exist_ok=True)
    name = message_id.strip("<>").replace("@", "_at_").replace("/", "_")
    fd, temp_path = tempfile.mkstemp(dir=folder, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(message)
        if not before_handover():
            raise HandoverCancelled()
    except BaseException:
        os.unlink(temp_path)
        raise
    os.replace(temp_path, folder / f"{name}.eml")
