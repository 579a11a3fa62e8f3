"""`python -m bench.smtp_sink PORT`: an aiosmtpd server on loopback that accepts every message
and keeps nothing, the local SMTP server of the email benchmark."""

import signal
import sys
import threading

from aiosmtpd.controller import Controller


class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 Message accepted for delivery"


def main() -> None:
    controller = Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    stopped.wait()
    controller.stop()


if __name__ == "__main__":
    main()
