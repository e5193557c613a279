"""Exception: signalling, the handler protocol, and ExceptionSets (LANGUAGE.md 3.4)."""

from __future__ import annotations

import re
from typing import Any

from .. import printing
from ..control_flow import BeamtalkError, ExceptionInstance, HandlerUnwind
from ..instances import fill_defaults, instance_plan
from ..kinds import kind_name
from ..objects import BtClass, Instance
from ..signalling import Resumed, find_handler, handles, signal
from ..text_answers import sent_text
from ..values import BtList, Symbol


def snake_case(name: str) -> str:
    """`AgentError` -> `agent_error`; an uppercase run is one word (`HTTPError` -> `http_error`)."""
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z0-9]|\b|_)|[A-Z]?[a-z0-9]+|[A-Z]+", name)
    return "_".join(w.lower() for w in words)


def fresh(rt: Any, cls: BtClass, text: Any = None) -> ExceptionInstance:
    exc = ExceptionInstance(cls, None if text is None
                            else sent_text(rt, text, "displayString"))
    fill_defaults(instance_plan(rt, cls)[1], exc.fields, {})
    return exc


def signal_instance(rt: Any, exc: ExceptionInstance) -> Any:
    if exc.handler is not None:  # `e signal` inside a handler: go to the outer handlers
        return resignal(rt, exc)
    return signal(rt, exc)


def resignal(rt: Any, exc: ExceptionInstance) -> Any:
    """`e signal` inside a handler: the outer handlers see the exception; a resumable one's
    outer answer (an unhandled Warning: nil) is the value of `e signal`."""
    entry = exc.handler
    below = entry.depth if entry is not None else None
    if not exc.resumable:
        raise BeamtalkError(exc, find_handler(rt, exc, below))
    return signal(rt, exc, below)


def pass_(rt: Any, exc: ExceptionInstance) -> Any:
    """`pass`: as if this handler were not there (ANSI): the outer handlers see the exception,
    and a resumable one resumes at its signal point with their answer."""
    value = resignal(rt, exc)
    if exc.handler is None:
        return value
    raise Resumed(exc, value)


def signal_with(rt: Any, exc: ExceptionInstance, text: Any) -> Any:
    exc.message_text = sent_text(rt, text, "displayString")
    return signal_instance(rt, exc)


def handler_of(rt: Any, exc: ExceptionInstance, selector: str) -> Any:
    if exc.handler is None:
        raise rt.error_from("outside_handler", selector=selector)
    return exc.handler


def resume(rt: Any, exc: ExceptionInstance, value: Any = None) -> Any:
    if not exc.resumable:
        raise rt.error_from("not_resumable", class_name=exc.cls.name)
    handler_of(rt, exc, "resume:")
    raise Resumed(exc, value)


def retry(rt: Any, exc: ExceptionInstance) -> Any:
    """Run the protected block of the handling `on:do:` again."""
    raise HandlerUnwind(handler_of(rt, exc, "retry"), retry=True)


def return_(rt: Any, exc: ExceptionInstance, value: Any) -> Any:
    """Make the handling `on:do:` answer `value`."""
    raise HandlerUnwind(handler_of(rt, exc, "return:"), value)


def kind(rt: Any, exc: ExceptionInstance) -> Symbol:
    return Symbol(snake_case(exc.cls.name))


def exception_set(rt: Any, first: Any, second: Any) -> Instance:
    """`ZeroDivide, TypeError`: an ExceptionSet (nested sets flatten)."""
    classes: list[Any] = []
    for part in (first, second):
        if isinstance(part, Instance) and part.cls.name == "ExceptionSet":
            classes.extend(part.fields["classes"])
        elif isinstance(part, BtClass):
            classes.append(part)
        else:
            raise rt.error_from("expects_exception_class", selector=",", kind=kind_name(rt, part))
    cls = rt.classes["ExceptionSet"]
    inst = cls.new_instance({"classes": BtList(classes)})
    return inst


PRIMITIVES = {
    "Exception": {
        "messageText": lambda rt, e: e.message_text,
        "messageText:": lambda rt, e, t: setattr(e, "message_text", t) or e,
        "description": lambda rt, e: printing.description(rt, e),
        "kind": kind,
        "selector": lambda rt, e: e.selector,
        "receiver": lambda rt, e: e.receiver,
        "arguments": lambda rt, e: e.arguments,
        "signal": signal_instance,
        "signal:": signal_with,
        "pass": pass_,
        "retry": retry,
        "return:": return_,
        "resume": lambda rt, e: resume(rt, e),
        "resume:": resume,
    },
    "Exception class": {
        "signal": lambda rt, cls: signal(rt, fresh(rt, cls)),
        "signal:": lambda rt, cls, text: signal(rt, fresh(rt, cls, text)),
        ",": exception_set,
        "handles:": lambda rt, cls, exc: isinstance(exc, ExceptionInstance)
        and handles(rt, cls, exc),
    },
    "ExceptionSet": {
        ",": exception_set,
        "handles:": lambda rt, s, exc: isinstance(exc, ExceptionInstance)
        and handles(rt, s, exc),
    },
}
