"""HTTPS in front of gunicorn, as a TLS-terminating reverse proxy serves the portal in
production (README: "Deploying with Docker Compose"): a self-signed certificate made for the
run, and `python -m proof.tls` to forward each request to gunicorn with the X-Forwarded-For,
-Proto and -Host headers that the portal trusts with `PROXY_FIX_HOPS=1`.

One request per connection (the proxy asks gunicorn to close, and so tells the client): what
matters here is what the portal sees, not the proxy's speed.
"""

import argparse
import asyncio
import contextlib
import signal
import ssl
import subprocess
from pathlib import Path

# Hop-by-hop headers, and whatever a client says about forwarding: the proxy speaks for itself.
DROPPED = {
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "upgrade",
    "forwarded",
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-port",
    "x-forwarded-prefix",
}
READY = "proof.tls: listening"


def make_certificate(folder: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A self-signed certificate for `host` (and localhost), valid for two days; it is also
    the certificate authority the proof's browsers trust."""
    folder.mkdir(parents=True, exist_ok=True)
    certificate, key = folder / "proxy.crt", folder / "proxy.key"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={host}",
            "-addext",
            f"subjectAltName=IP:{host},DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],  # fmt: skip
        check=True,
        capture_output=True,
        timeout=60,
    )
    return certificate, key


def command(listen_port: int, upstream_port: int, certificate: Path, key: Path) -> list[str]:
    return [
        "-m", "proof.tls",
        "--listen", str(listen_port), "--upstream", str(upstream_port),
        "--certificate", str(certificate), "--key", str(key),
    ]  # fmt: skip


async def _answer(writer: asyncio.StreamWriter, status: str) -> None:
    writer.write(
        f"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode("latin-1")
    )
    await writer.drain()


async def _forward(reader, writer, upstream_port: int) -> None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
        return
    request_line, *lines = head[:-4].decode("latin-1").split("\r\n")
    headers = []
    for line in lines:
        name, _, value = line.partition(":")
        headers.append((name.strip(), value.strip()))
    named = {name.lower(): value for name, value in headers}
    if "chunked" in named.get("transfer-encoding", "").lower():
        await _answer(writer, "411 Length Required")
        return
    body = await reader.readexactly(int(named.get("content-length") or 0))
    client_ip = writer.get_extra_info("peername")[0]
    forwarded = [(name, value) for name, value in headers if name.lower() not in DROPPED]
    forwarded += [
        ("X-Forwarded-For", client_ip),
        ("X-Forwarded-Proto", "https"),
        ("X-Forwarded-Host", named.get("host", "")),
        ("Connection", "close"),
    ]
    try:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    except OSError:
        await _answer(writer, "502 Bad Gateway")
        return
    try:
        request = "\r\n".join([request_line, *(f"{k}: {v}" for k, v in forwarded), "", ""])
        up_writer.write(request.encode("latin-1") + body)
        await up_writer.drain()
        while chunk := await up_reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    finally:
        up_writer.close()


async def _serve(listen_port: int, upstream_port: int, certificate: str, key: str) -> None:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)

    async def handle(reader, writer):
        try:
            await _forward(reader, writer, upstream_port)
        except (ConnectionError, asyncio.IncompleteReadError, ssl.SSLError):
            pass
        finally:
            with contextlib.suppress(Exception):
                writer.close()
                await writer.wait_closed()

    stopped = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopped.set)
    server = await asyncio.start_server(handle, "127.0.0.1", listen_port, ssl=context)
    print(f"{READY} on https://127.0.0.1:{listen_port}/ for port {upstream_port}", flush=True)
    async with server:
        await stopped.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--listen", type=int, required=True)
    parser.add_argument("--upstream", type=int, required=True)
    parser.add_argument("--certificate", required=True)
    parser.add_argument("--key", required=True)
    arguments = parser.parse_args()
    asyncio.run(_serve(arguments.listen, arguments.upstream, arguments.certificate, arguments.key))


if __name__ == "__main__":
    main()
