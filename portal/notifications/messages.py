"""The message an outbox row becomes: its bytes on the wire, and the check that stops a row
written around `queue_email` from ever reaching the SMTP server."""

import binascii
import email.policy
import secrets
from email import encoders
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from types import SimpleNamespace

from flask import current_app

from portal.core.region_identity import current_identity
from portal.notifications.models import OutboundEmail

# An outbox row, or the batch sender's copy of its columns (outbox.claimed_rows).
EmailRow = OutboundEmail | SimpleNamespace

# The portal's text is UTF-8 in quoted-printable: readable in the raw message, 7-bit safe.
UTF8_QP = Charset("utf-8")
UTF8_QP.header_encoding = UTF8_QP.body_encoding = QP
# Headers are not folded at 78 characters: a List-Unsubscribe address is one unbreakable word.
HEADER_POLICY = email.policy.compat32.clone(max_line_length=998)


def build_message(row: EmailRow) -> Message:
    """The MIME message of a row: text and HTML alternatives, attachments after them.

    Built with the email package's classic (compat32) classes, not EmailMessage: they make the
    same message about eight times faster, which is what lets a worker keep up with a plain
    smtplib loop when a news item goes to thousands. The List-Unsubscribe address is written
    as it is, never folded into an encoded word that mail programs would not recognise.
    """
    body = MIMEMultipart("alternative", policy=HEADER_POLICY)
    # typeshed wants the charset's name; the email package takes a Charset as well.
    body.attach(MIMEText(row.text_body, "plain", UTF8_QP))  # type: ignore[arg-type]
    body.attach(MIMEText(row.html_body, "html", UTF8_QP))  # type: ignore[arg-type]
    if row.attachments:
        message = MIMEMultipart("mixed", policy=HEADER_POLICY)
        message.attach(body)
        for attachment in row.attachments:
            maintype, _, subtype = attachment.content_type.partition("/")
            part = MIMEBase(maintype, subtype)
            part.set_payload(attachment.data)
            encoders.encode_base64(part)
            part.add_header(
                "Content-Disposition",
                "attachment",
                filename=("utf-8", "", attachment.filename),
            )
            message.attach(part)
    else:
        message = body
    message["From"] = from_header()
    message["To"] = row.recipient
    subject = Header(row.subject, UTF8_QP) if not row.subject.isascii() else row.subject
    message["Subject"] = subject  # type: ignore[assignment]  # compat32 takes a Header too
    message["Date"] = format_datetime(row.created_at)
    message["Message-ID"] = row.message_id
    if row.reply_to:
        message["Reply-To"] = row.reply_to
    if row.list_unsubscribe:
        message["List-Unsubscribe"] = f"<{row.list_unsubscribe}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def message_bytes(row: EmailRow) -> bytes:
    """The row as the bytes sent over SMTP (CRLF line ends).

    Without attachments (nearly every email) the two quoted-printable alternatives are written
    directly, which costs a tenth of a millisecond instead of the email package's one or more:
    the difference between a worker that keeps pace with a plain smtplib loop and one that
    does not. The header values were checked to be single lines (`refusal`).
    """
    if row.attachments:
        return build_message(row).as_bytes(policy=HEADER_POLICY.clone(linesep="\r\n"))
    boundary = f"=_{secrets.token_hex(16)}"
    headers = [
        f"From: {from_header()}",
        f"To: {row.recipient}",
        f"Subject: {_header_text(row.subject)}",
        f"Date: {_date_header(row.created_at)}",
        f"Message-ID: {row.message_id}",
    ]
    if row.reply_to:
        headers.append(f"Reply-To: {row.reply_to}")
    if row.list_unsubscribe:
        headers.append(f"List-Unsubscribe: <{row.list_unsubscribe}>")
        headers.append("List-Unsubscribe-Post: List-Unsubscribe=One-Click")
    headers += ["MIME-Version: 1.0", f'Content-Type: multipart/alternative; boundary="{boundary}"']
    lines = [*headers, ""]
    for subtype, body in (("plain", row.text_body), ("html", row.html_body)):
        lines += [
            f"--{boundary}",
            f'Content-Type: text/{subtype}; charset="utf-8"',
            "Content-Transfer-Encoding: quoted-printable",
            "",
            _quoted_printable(body),
        ]
    lines += [f"--{boundary}--", ""]
    return "\r\n".join(lines).encode("ascii")


@lru_cache(maxsize=256)
def _date_header(created_at) -> str:
    """The emails of one fan-out share their creation time."""
    return format_datetime(created_at)


@lru_cache(maxsize=256)
def _header_text(value: str) -> str:
    return value if value.isascii() else Header(value, "utf-8").encode(linesep="\r\n")


def _quoted_printable(text: str) -> str:
    encoded = binascii.b2a_qp(text.replace("\r\n", "\n").encode("utf-8"), istext=True)
    return encoded.decode("ascii").replace("\n", "\r\n")


def from_header() -> str:
    """MAIL_FROM's address under the name the region's file gives its emails, if imported
    (portal/core/region_identity.py), else under MAIL_FROM's own name."""
    return _address_header(current_app.config["MAIL_FROM"], current_identity().email_sender_name)


@lru_cache(maxsize=16)
def _address_header(value: str, sender_name: str = "") -> str:
    name, address = parseaddr(value)
    return formataddr((sender_name or name, address), charset="utf-8")


def refusal(row: EmailRow) -> str | None:
    """Why the row must never reach the SMTP server, if it was written around `queue_email`.

    Checked for every email a worker sends, so it is the cheap structural test that stops
    header injection (one plain address, single lines), not the full address validation that
    `queue_email` and the account forms already did.
    """
    if not is_plain_address(row.recipient) or (row.reply_to and not is_plain_address(row.reply_to)):
        return "refused: recipient, reply-to or subject is not a single plain value"
    for value in (row.subject, row.list_unsubscribe or ""):
        if "\r" in value or "\n" in value:
            return "refused: recipient, reply-to or subject is not a single plain value"
    return None


def is_plain_address(value: str) -> bool:
    """local@domain and nothing else: no display name, list, space or line break."""
    local, at, domain = value.partition("@")
    return (
        bool(local and at and domain)
        and "@" not in domain
        and not any(char in value for char in ' \t\r\n,;<>"()')
    )
