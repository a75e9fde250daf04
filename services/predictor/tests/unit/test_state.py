import os
import signal

from predictor.app import _drain_on_sigterm
from predictor.loading import load_model
from predictor.state import ServiceState


def test_ready_only_once_started_and_not_while_draining():
    state = ServiceState(load_model())
    assert not state.ready
    state.started = True
    assert state.ready
    state.draining = True
    assert not state.ready


def test_sigterm_turns_readiness_off_then_calls_the_servers_handler():
    state = ServiceState(load_model(), started=True)
    received = []
    original = signal.signal(signal.SIGTERM, lambda signum, frame: received.append(signum))
    try:
        _drain_on_sigterm(state)
        os.kill(os.getpid(), signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, original)
    assert state.draining
    assert received == [signal.SIGTERM]
