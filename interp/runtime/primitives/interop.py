"""The primitives of class Erlang (LANGUAGE.md 7): module proxies and calls on the node.

`Erlang lists` answers a proxy (an Erlang instance holding the module's name); a message the
proxy does not understand is a call on the runtime's Erlang node (runtime/erlang_node.py),
the selector's first keyword naming the function. Without `erl` on PATH a call signals
UnsupportedError.
"""

from __future__ import annotations

from typing import Any

from beamtalk.interp.runtime.primitives.obj import does_not_understand
from beamtalk.interp.runtime.values import BtList, BtMessage, Symbol


def function_name(selector: str) -> str:
    """The Erlang function a selector names: its first keyword, or the whole selector."""
    first, colon, _ = selector.partition(":")
    return first if colon and first else selector


def module_proxy(rt: Any, cls: Any, message: Any) -> Any:
    """`Erlang lists`: the proxy for module `lists` (a keyword message is not a module)."""
    if type(message) is not BtMessage or len(message.arguments):
        return does_not_understand(rt, cls, message)
    return cls.new_instance({"module": message.selector})


def call(rt: Any, proxy: Any, message: Any) -> Any:
    """A message to a proxy: the Erlang call it names."""
    module = proxy.fields.get("module") if hasattr(proxy, "fields") else None
    if type(module) is not Symbol or type(message) is not BtMessage:
        return does_not_understand(rt, proxy, message)
    selector = message.selector.name
    if not rt.erlang_node.available():
        raise rt.error_from("erlang_unavailable", selector=f"{module.name} {selector}")
    return rt.erlang_node.call(module.name, function_name(selector), list(message.arguments))


def call_error(rt: Any, proxy: Any, reason: Any) -> Any:
    """`Erlang erlang error: reason` is erlang:error/1 (the proxy shadows Object>>error:)."""
    return call(rt, proxy, BtMessage(Symbol("error:"), BtList((reason,))))


def proxy_print_string(rt: Any, proxy: Any) -> str:
    """`Erlang lists` prints as the expression that makes it."""
    module = proxy.fields.get("module")
    return f"Erlang {module.name}" if type(module) is Symbol else "an Erlang"


PRIMITIVES = {
    "Erlang class": {"doesNotUnderstand:": module_proxy},
    "Erlang": {
        "doesNotUnderstand:": call,
        "error:": call_error,
        "printString": proxy_print_string,
        "displayString": proxy_print_string,
    },
}
