"""A minimal HTTP/1.1 keep-alive client on asyncio streams: just enough for the open-loop run.

httpx and Locust cost far more CPU per request; on a 2-core machine the load generator must
leave a core to the server, so the open-loop run speaks HTTP/1.1 directly.
"""

import asyncio
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Target:
    """Where to send requests: scheme, host, port, path, and headers that go on every request."""

    host: str
    port: int
    path: str
    tls: bool
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_url(cls, url: str, token: str | None = None) -> "Target":
        parts = urlsplit(url)
        tls = parts.scheme == "https"
        headers = (("Authorization", f"Bearer {token}"),) if token else ()
        return cls(parts.hostname or "", parts.port or (443 if tls else 80), parts.path, tls, headers)

    def post(self, body: bytes) -> bytes:
        """The bytes of one POST request with a JSON body."""
        lines = [
            f"POST {self.path} HTTP/1.1",
            f"Host: {self.host}",
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
            *(f"{name}: {value}" for name, value in self.headers),
        ]
        return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


class Connection:
    """One keep-alive connection; `exchange` sends a request and reads the whole response."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer, self.reusable = reader, writer, True

    @classmethod
    async def open(cls, target: Target) -> "Connection":
        context = ssl.create_default_context() if target.tls else None
        reader, writer = await asyncio.open_connection(target.host, target.port, ssl=context)
        return cls(reader, writer)

    async def exchange(self, request: bytes) -> tuple[int, bytes]:
        self.writer.write(request)
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        status = int(head[9:12])
        fields = dict(line.split(":", 1) for line in head.split("\r\n")[1:] if ":" in line)
        self.reusable = fields.get("connection", "").strip() != "close"
        if fields.get("transfer-encoding", "").strip() == "chunked":
            return status, await self._chunked()
        return status, await self.reader.readexactly(int(fields.get("content-length", 0)))

    async def _chunked(self) -> bytes:
        body = b""
        while size := int((await self.reader.readline()).split(b";")[0], 16):
            body += await self.reader.readexactly(size)
            await self.reader.readline()
        await self.reader.readline()
        return body

    def close(self) -> None:
        self.writer.close()
