"""A real SMTP server on loopback (aiosmtpd) that records every envelope it is offered: the
tests' SMTP server and the proof's stand-in for Mailpit.

It can be told to refuse the next N messages with a reply such as "451 4.3.0 try later" or
"550 5.1.1 no such user", after DATA or already at RCPT, so tests can watch the outbox retry,
and to take its time over each message, so a worker can be killed in the middle of a delivery.

For the fault matrix (proof/matrix.py) it also misbehaves for a while: refuses every message
with one reply (451, 421) for N seconds, hangs (answers nothing until the time is up, then a
451 that no client waits for any more), is slow for N seconds, or refuses one recipient for good.
"""

import asyncio
import email
import email.policy
import threading
import time
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from proof.processes import free_port


@dataclass
class Envelope:
    """One message the server was offered, and what it answered."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage | None
    reply: str

    @property
    def accepted(self) -> bool:
        return self.reply.startswith("250")

    @property
    def message_id(self) -> str | None:
        return self.message["Message-ID"] if self.message is not None else None


@dataclass
class _Fault:
    reply: str
    stage: str


@dataclass
class RecordingHandler:
    delay_seconds: float = 0.0
    receiving: int = 0  # messages whose data has come and whose reply has not yet gone
    envelopes: list[Envelope] = field(default_factory=list)
    faults: deque = field(default_factory=deque)
    lock: threading.Lock = field(default_factory=threading.Lock)
    refuse_until: float = 0.0  # time.monotonic() until which every message gets refuse_reply
    refuse_reply: str = ""
    hang_until: float = 0.0
    slow_until: float = 0.0
    refused_recipients: dict[str, str] = field(default_factory=dict)

    def _take_fault(self, stage: str) -> str | None:
        with self.lock:
            if self.faults and self.faults[0].stage == stage:
                return self.faults.popleft().reply
        return None

    def _record(self, envelope, message, reply: str) -> None:
        with self.lock:
            self.envelopes.append(
                Envelope(envelope.mail_from, list(envelope.rcpt_tos), message, reply)
            )

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        fault = self._take_fault("RCPT") or self.refused_recipients.get(address)
        if fault:
            self._record(envelope, None, fault)
            return fault
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if time.monotonic() < self.hang_until:
            while time.monotonic() < self.hang_until:
                await asyncio.sleep(0.1)
            return "451 4.4.2 hung"  # the client gave up long ago; nothing was accepted
        if time.monotonic() < self.refuse_until:
            self._record(envelope, None, self.refuse_reply)
            return self.refuse_reply
        if self.slow_until and time.monotonic() >= self.slow_until:
            self.delay_seconds, self.slow_until = 0.0, 0.0
        if self.delay_seconds:
            with self.lock:
                self.receiving += 1
            try:
                await asyncio.sleep(self.delay_seconds)
            finally:
                with self.lock:
                    self.receiving -= 1
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        reply = self._take_fault("DATA") or "250 Message accepted for delivery"
        self._record(envelope, message, reply)
        return reply


class SMTPServer:
    """What a test sees: the host and port, the envelopes, and the knobs for faults."""

    def __init__(self, handler: RecordingHandler, host: str, port: int):
        self.handler, self.host, self.port = handler, host, port

    @property
    def envelopes(self) -> list[Envelope]:
        with self.handler.lock:
            return list(self.handler.envelopes)

    @property
    def delivered(self) -> list[Envelope]:
        return [envelope for envelope in self.envelopes if envelope.accepted]

    def offers_of(self, message_id: str) -> list[Envelope]:
        return [envelope for envelope in self.envelopes if envelope.message_id == message_id]

    def fail_next(self, count: int, reply: str, stage: str = "DATA") -> None:
        """Answer the next `count` messages with `reply` (at "DATA" or at "RCPT")."""
        with self.handler.lock:
            self.handler.faults.extend(_Fault(reply, stage) for _ in range(count))

    def slow_down(self, seconds: float) -> None:
        """Take `seconds` over each message before answering it."""
        self.handler.delay_seconds = seconds

    def refuse_for(self, seconds: float, reply: str) -> None:
        """Answer every message with `reply` (e.g. "451 4.3.0 try later") for `seconds`."""
        self.handler.refuse_reply = reply
        self.handler.refuse_until = time.monotonic() + seconds

    def hang_for(self, seconds: float) -> None:
        """Answer no message for `seconds`: a client waits until its own timeout."""
        self.handler.hang_until = time.monotonic() + seconds

    def slow_for(self, seconds: float, per_message: float) -> None:
        """Take `per_message` seconds over each message for the next `seconds`."""
        self.handler.delay_seconds = per_message
        self.handler.slow_until = time.monotonic() + seconds

    def refuse_recipient(self, address: str, reply: str) -> None:
        """Refuse `address` at RCPT with `reply` (e.g. "550 5.1.1 no such user") for good."""
        self.handler.refused_recipients[address] = reply

    def behave(self) -> None:
        """Back to a well-behaved server, forgetting what it was offered."""
        handler = self.handler
        with handler.lock:
            handler.envelopes.clear()
            handler.faults.clear()
            handler.refused_recipients.clear()
        handler.refuse_until = handler.hang_until = handler.slow_until = 0.0
        handler.delay_seconds = 0.0

    @property
    def receiving(self) -> int:
        """Messages sent and not yet answered (only while slowed down): a client that dies
        now has delivered a message it will not know was accepted."""
        with self.handler.lock:
            return self.handler.receiving


@contextmanager
def running_smtp_server():
    handler = RecordingHandler()
    host, port = "127.0.0.1", free_port()
    controller = Controller(handler, hostname=host, port=port, ready_timeout=10)
    controller.start()
    try:
        yield SMTPServer(handler, host, port)
    finally:
        controller.stop()
