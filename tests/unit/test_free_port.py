"""Tests start servers on ports from free_port: never one from the kernel's range for outgoing
connections (a client could take it first), never one in use."""

import socket

from mentoring_testing import servers


def test_a_free_port_is_below_the_outgoing_range_and_takes_a_listener():
    port = servers.free_port()
    assert servers.LOWEST_PORT <= port < servers._outgoing_ports_start()
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))
        listener.listen()


def test_a_port_in_use_is_passed_over(monkeypatch):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", servers.free_port()))
        taken.listen()
        used = taken.getsockname()[1]
        offers = iter([used, used + 1 if used + 1 < servers._outgoing_ports_start() else used - 1])
        monkeypatch.setattr(servers.random, "randrange", lambda low, high: next(offers))
        assert servers.free_port() != used
