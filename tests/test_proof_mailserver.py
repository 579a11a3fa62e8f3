"""The matrix's SMTP server misbehaves as told, for as long as told, and then behaves again."""

import smtplib
import time

import pytest

from proof.mailserver import running_smtp_server

MESSAGE = b"Subject: Hej\r\nMessage-ID: <1@matris.example>\r\n\r\nHej\r\n"


def send(server, to="karin@kramfors.example", timeout=5):
    with smtplib.SMTP(server.host, server.port, timeout=timeout) as client:
        client.sendmail("portal@lansbiblioteket.example", [to], MESSAGE)


def test_refuse_for_answers_451_until_the_time_is_up():
    with running_smtp_server() as server:
        server.refuse_for(0.5, "451 4.3.0 try later")
        with pytest.raises(smtplib.SMTPDataError) as refused:
            send(server)
        assert refused.value.smtp_code == 451
        time.sleep(0.6)
        send(server)
        assert len(server.delivered) == 1


def test_refuse_recipient_refuses_that_address_only_until_behave():
    with running_smtp_server() as server:
        server.refuse_recipient("finns.inte@matris.example", "550 5.1.1 no such user")
        with pytest.raises(smtplib.SMTPRecipientsRefused):
            send(server, "finns.inte@matris.example")
        send(server)
        server.behave()
        send(server, "finns.inte@matris.example")
        assert [e.rcpt_tos for e in server.delivered] == [["finns.inte@matris.example"]]


def test_a_hanging_server_outlasts_the_clients_timeout_and_accepts_nothing():
    with running_smtp_server() as server:
        server.hang_for(1.5)
        with pytest.raises((TimeoutError, smtplib.SMTPServerDisconnected)):
            send(server, timeout=0.5)
        assert server.delivered == []


def test_slow_for_slows_each_message_for_a_while_only():
    with running_smtp_server() as server:
        server.slow_for(0.3, 0.2)
        started = time.monotonic()
        send(server)
        assert time.monotonic() - started >= 0.2
        time.sleep(0.3)
        started = time.monotonic()
        send(server)
        assert time.monotonic() - started < 0.15
