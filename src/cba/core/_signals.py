"""Signals during a write: a stopped command leaves no temporary file behind.

SIGINT already raises :class:`KeyboardInterrupt` in Python, so ``finally`` blocks run;
SIGTERM and SIGHUP end the process at once by default. :func:`stoppable` makes them
raise :class:`Stopped` for as long as files are written
(:func:`cba.core._files.write_files`), so the temporary files are removed first.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator


class Stopped(BaseException):
    """A signal (SIGTERM, SIGHUP) that stopped a write; its exit status is ``128 + signal``."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by signal {signum}")
        self.code = 128 + signum


@contextlib.contextmanager
def stoppable() -> Iterator[None]:
    """While files are written, SIGTERM and SIGHUP raise :class:`Stopped` (SIGINT already
    raises KeyboardInterrupt), so that the clean-up of temporary files runs before the
    process ends. Only the main thread can take signals; elsewhere nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum, frame):
        raise Stopped(signum)

    previous = {}
    for name in ("SIGTERM", "SIGHUP"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        old = signal.getsignal(sig)
        if old in (signal.SIG_DFL, None):   # a handler the program set, or "ignore", is kept
            previous[sig] = old
            signal.signal(sig, stop)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old if old is not None else signal.SIG_DFL)


__all__ = ["Stopped", "stoppable"]
