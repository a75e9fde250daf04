"""The open-loop generator's pieces: request bytes, response parsing, judging, summarising."""

import asyncio

import pytest
from harness import openloop
from harness.http1 import Connection, Target


def test_target_from_url_and_request_bytes():
    target = Target.from_url("https://example.test/api", token="t0k")
    assert (target.host, target.port, target.path, target.tls) == ("example.test", 443, "/api", True)
    request = target.post(b'{"array":[]}')
    head, body = request.split(b"\r\n\r\n")
    assert head.startswith(b"POST /api HTTP/1.1\r\nHost: example.test\r\n")
    assert b"Content-Length: 12" in head and b"Authorization: Bearer t0k" in head
    assert body == b'{"array":[]}'


class _Sink:
    def write(self, data: bytes) -> None:
        self.data = data


def _exchange(raw: bytes) -> tuple[tuple[int, bytes], bool]:
    async def go():
        reader = asyncio.StreamReader()
        reader.feed_data(raw)
        conn = Connection(reader, _Sink())
        return await conn.exchange(b"GET / HTTP/1.1\r\n\r\n"), conn.reusable

    return asyncio.run(go())


def test_reads_a_content_length_response():
    raw = b'HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n{"predicciones":[1]}'
    assert _exchange(raw) == ((200, b'{"predicciones":[1]}'), True)


def test_reads_a_chunked_response_and_honours_connection_close():
    raw = (
        b"HTTP/1.1 422 Unprocessable\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        b'5\r\n{"a":\r\n3\r\n 1}\r\n0\r\n\r\n'
    )
    assert _exchange(raw) == ((422, b'{"a": 1}'), False)


@pytest.mark.parametrize(
    ("status", "body", "outcome"),
    [
        (200, b'{"predicciones":[0]}', "ok"),
        (200, b'{"predicciones": [1]}', "ok"),
        (200, b'{"predicciones":[0,1]}', "bad body"),
        (200, b"not json", "bad body"),
        (200, b"[]", "bad body"),
        (503, b'{"error":"not_ready"}', "status 503"),
    ],
)
def test_judge(status, body, outcome):
    assert openloop._judge(status, body) == outcome


def test_summarise_measures_from_due_time_and_buckets_by_second():
    samples = openloop.Samples(
        due=[0.0, 0.5, 1.0, 1.5],
        lag=[0.0, 0.001, 0.0, 0.002],
        latency=[0.002, 0.004, 0.010, 0.020],
        outcome=["ok", "ok", "status 500", "timeout"],
        connections=2,
    )
    summary = openloop.summarise(samples, rate=2.0, duration=2.0, elapsed=2.0)
    assert summary["requests"] == 4
    assert summary["errors"] == {"status 500": 1, "timeout": 1}
    assert summary["latency_ms"]["max"] == pytest.approx(10.0)  # the timeout has no latency
    per_second = summary["per_second"]
    assert [s["sent"] for s in per_second] == [2, 2]
    assert [s["completed"] for s in per_second] == [2, 1]  # by completion time
    assert per_second[1]["p99"] == pytest.approx(10.0)  # of the requests due in second 1
    assert sum(summary["histogram_ms"]["counts"]) == 3
    assert summary["connections_opened"] == 2
