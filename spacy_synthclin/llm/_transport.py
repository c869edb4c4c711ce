"""An httpx transport whose sockets are plain asyncio transports.

HTTP itself stays httpx/httpcore/h11: this module only swaps httpcore's
*network backend* (the byte pipe under HTTP, a documented httpcore extension
point: ``AsyncConnectionPool(network_backend=...)``). The default backend goes
through anyio, which wraps every socket read and write in a cancel scope and
answers httpcore's "is this idle connection readable?" check with a poll(2)
syscall; at hundreds of requests per second on one core that bookkeeping is
about a third of the client's CPU, and it is what decides whether a wave of
128 concurrent requests leaves on time. Here a read waits on a future fed by
an ``asyncio.Protocol``, a write is ``transport.write``, a timeout is one
``call_later`` timer, and "readable" is a buffer check.

Only plain asyncio is supported (that is where our client runs); TLS goes
through ``loop.start_tls``.
"""
import asyncio
import socket
import ssl
import typing
from typing import Any, Iterable, Optional

import httpcore
import httpx

_HIGH_WATER = 256 * 1024


class _Protocol(asyncio.Protocol):
    def __init__(self) -> None:
        self.transport: Optional[asyncio.Transport] = None
        self.buffer = bytearray()
        self.eof = False
        self.error: Optional[BaseException] = None
        self.read_waiter: Optional[asyncio.Future] = None
        self.drain_waiter: Optional[asyncio.Future] = None
        self.paused = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = typing.cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._wake_reader()

    def eof_received(self) -> bool:
        self.eof = True
        self._wake_reader()
        return False  # close our side too

    def connection_lost(self, exc: Optional[BaseException]) -> None:
        self.eof = True
        if exc is not None:
            self.error = exc
        self._wake_reader()
        self._wake_drain()

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        self._wake_drain()

    def _wake_reader(self) -> None:
        waiter = self.read_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _wake_drain(self) -> None:
        waiter = self.drain_waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)


async def _wait(fut: asyncio.Future, timeout: Optional[float], exc_type: type) -> None:
    if timeout is None:
        await fut
        return
    loop = asyncio.get_running_loop()

    def expire() -> None:
        if not fut.done():
            fut.set_exception(exc_type(f"timed out after {timeout:g} s"))

    handle = loop.call_later(timeout, expire)
    try:
        await fut
    finally:
        handle.cancel()


class AsyncioStream(httpcore.AsyncNetworkStream):
    def __init__(self, transport: asyncio.Transport, protocol: _Protocol) -> None:
        self._transport = transport
        self._protocol = protocol

    async def read(self, max_bytes: int, timeout: Optional[float] = None) -> bytes:
        p = self._protocol
        if not p.buffer and not p.eof:
            p.read_waiter = asyncio.get_running_loop().create_future()
            try:
                await _wait(p.read_waiter, timeout, httpcore.ReadTimeout)
            finally:
                p.read_waiter = None
        if p.buffer:
            data = bytes(p.buffer[:max_bytes])
            del p.buffer[:max_bytes]
            return data
        if p.error is not None:
            raise httpcore.ReadError(str(p.error) or type(p.error).__name__)
        return b""  # EOF

    async def write(self, buffer: bytes, timeout: Optional[float] = None) -> None:
        if not buffer:
            return
        p = self._protocol
        if p.error is not None or self._transport.is_closing():
            raise httpcore.WriteError(str(p.error or "connection closed"))
        self._transport.write(buffer)
        if p.paused:
            p.drain_waiter = asyncio.get_running_loop().create_future()
            try:
                await _wait(p.drain_waiter, timeout, httpcore.WriteTimeout)
            finally:
                p.drain_waiter = None
            if p.error is not None:
                raise httpcore.WriteError(str(p.error))

    async def aclose(self) -> None:
        self._transport.close()

    async def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: Optional[str] = None,
                        timeout: Optional[float] = None) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            new_transport = await asyncio.wait_for(
                loop.start_tls(self._transport, self._protocol, ssl_context, server_hostname=server_hostname),
                timeout,
            )
        except asyncio.TimeoutError as err:
            self._transport.close()
            raise httpcore.ConnectTimeout(str(err)) from None
        except (OSError, ssl.SSLError) as err:
            self._transport.close()
            raise httpcore.ConnectError(str(err)) from None
        return AsyncioStream(typing.cast(asyncio.Transport, new_transport), self._protocol)

    def get_extra_info(self, info: str) -> Any:
        if info == "is_readable":  # an idle keep-alive connection with data or EOF: the server hung up
            p = self._protocol
            return bool(p.buffer) or p.eof
        if info == "ssl_object":
            return self._transport.get_extra_info("ssl_object")
        if info == "client_addr":
            return self._transport.get_extra_info("sockname")
        if info == "server_addr":
            return self._transport.get_extra_info("peername")
        if info == "socket":
            return self._transport.get_extra_info("socket")
        return None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    async def connect_tcp(self, host: str, port: int, timeout: Optional[float] = None,
                          local_address: Optional[str] = None,
                          socket_options: Optional[Iterable[Any]] = None) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        local_addr = (local_address, 0) if local_address else None
        try:
            transport, protocol = await asyncio.wait_for(
                loop.create_connection(_Protocol, host, port, local_addr=local_addr), timeout
            )
        except asyncio.TimeoutError:
            raise httpcore.ConnectTimeout(f"connect to {host}:{port} timed out") from None
        except OSError as err:
            raise httpcore.ConnectError(str(err) or type(err).__name__) from None
        sock = transport.get_extra_info("socket")
        if sock is not None:
            for option in socket_options or ():
                sock.setsockopt(*option)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transport.set_write_buffer_limits(high=_HIGH_WATER)
        return AsyncioStream(typing.cast(asyncio.Transport, transport), typing.cast(_Protocol, protocol))

    async def connect_unix_socket(self, path: str, timeout: Optional[float] = None,
                                  socket_options: Optional[Iterable[Any]] = None) -> httpcore.AsyncNetworkStream:
        loop = asyncio.get_running_loop()
        try:
            transport, protocol = await asyncio.wait_for(loop.create_unix_connection(_Protocol, path), timeout)
        except asyncio.TimeoutError:
            raise httpcore.ConnectTimeout(f"connect to {path} timed out") from None
        except OSError as err:
            raise httpcore.ConnectError(str(err) or type(err).__name__) from None
        return AsyncioStream(typing.cast(asyncio.Transport, transport), typing.cast(_Protocol, protocol))

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)


def asyncio_http_transport(limits: httpx.Limits, verify: Any = True) -> httpx.AsyncHTTPTransport:
    """httpx's own transport, with its connection pool on the asyncio network backend."""
    transport = httpx.AsyncHTTPTransport(verify=verify, limits=limits, trust_env=False)
    old_pool = transport._pool
    # Same pool settings as httpx builds them, only the network backend differs.
    transport._pool = httpcore.AsyncConnectionPool(
        ssl_context=old_pool._ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=False,
        network_backend=AsyncioBackend(),
    )
    return transport
