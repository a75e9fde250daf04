"""One write per response: what one turn of the event loop writes leaves as one write (protocol.py)."""

import asyncio
from collections.abc import Iterable

from predictor.protocol import JoinedWrites


class Socket(asyncio.Transport):
    """Records what reaches the connection's own transport."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, list[bytes]]] = []
        self.closing = False

    def write(self, data: bytes) -> None:
        self.calls.append(("write", [data]))

    def writelines(self, lines: Iterable[bytes]) -> None:
        self.calls.append(("writelines", list(lines)))

    def close(self) -> None:
        self.calls.append(("close", []))
        self.closing = True

    def is_closing(self) -> bool:
        return self.closing


def run(steps) -> list[tuple[str, list[bytes]]]:
    async def main() -> list[tuple[str, list[bytes]]]:
        socket = Socket()
        await steps(JoinedWrites(socket, asyncio.get_running_loop()), socket)
        await asyncio.sleep(0)
        return socket.calls

    return asyncio.run(main())


def test_a_head_and_body_written_in_one_turn_leave_as_one_write():
    async def steps(joined, socket):
        joined.write(b"HTTP/1.1 200 OK\r\n\r\n")
        joined.write(b"{}")
        assert socket.calls == []  # nothing before the turn ends

    assert run(steps) == [("writelines", [b"HTTP/1.1 200 OK\r\n\r\n", b"{}"])]


def test_writes_of_later_turns_leave_in_later_writes():
    async def steps(joined, _):
        joined.write(b"first")
        await asyncio.sleep(0)
        joined.writelines([b"second", b"third"])

    assert run(steps) == [("writelines", [b"first"]), ("writelines", [b"second", b"third"])]


def test_close_writes_what_is_kept_before_closing():
    async def steps(joined, _):
        joined.write(b"last response")
        joined.close()

    assert run(steps) == [("writelines", [b"last response"]), ("close", [])]


def test_a_connection_closed_meanwhile_takes_nothing_more():
    async def steps(joined, socket):
        joined.write(b"never sent")
        socket.closing = True  # lost: uvloop closed it

    assert run(steps) == []
