"""Python-side carriers of Beamtalk control flow: signalled exceptions and `^` from blocks."""

from __future__ import annotations

from typing import Any

from .objects import BtClass, Instance


class ExceptionInstance(Instance):
    """A Beamtalk exception object: user fields plus what every exception carries."""

    def __init__(self, cls: BtClass, message_text: str | None = None):
        super().__init__(cls, {})
        self.message_text = message_text
        self.selector: Any = None
        self.receiver: Any = None
        self.arguments: Any = None
        self.handler: Any = None  # the handler entry running it (for pass/retry/return:)
        self.resumable = False
        self.signalled = False


class BeamtalkError(Exception):
    """A signalled Beamtalk exception travelling up the Python stack."""

    def __init__(self, exc: ExceptionInstance, target: Any = None):
        super().__init__(exc.message_text)
        self.exc = exc
        self.target = target  # the handler entry chosen at signal time (None: unhandled)


class NonLocalReturn(Exception):
    """`^value` leaving a block for its home method's activation (the `home` frame)."""

    def __init__(self, home: Any, value: Any):
        super().__init__()
        self.home = home
        self.value = value


class HandlerUnwind(Exception):
    """Unwinds to an `on:do:` whose handler finished (return:, fall-through, retry)."""

    def __init__(self, entry: Any, value: Any = None, retry: bool = False):
        super().__init__()
        self.entry = entry
        self.value = value
        self.retry = retry


class ActorKilled(BaseException):
    """Unwinds a killed actor's running message (never caught by Beamtalk handlers)."""
