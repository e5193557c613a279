"""Object: the protocol every value answers (LANGUAGE.md 5, "Every object answers")."""

from __future__ import annotations

from typing import Any

from .. import printing
from ..control_flow import ExceptionInstance
from ..kinds import kind_name
from ..objects import ActorRef, BtClass, Instance, selector_arity
from ..text_answers import error_text_of, sent_text
from ..values import Association, BtList, BtMessage, Symbol, equal, key_of
from .support import awaited


def class_(rt: Any, r: Any) -> Any:
    return rt.class_of(r)


def print_string(rt: Any, r: Any) -> str:
    return printing.print_string(rt, r)


def display_string(rt: Any, r: Any) -> str:
    method = rt.lookup(rt.class_of(r), "printString")
    if method is not None and method.primitive is None:  # a class that prints its own way
        return sent_text(rt, r, "printString")
    return printing.display_string(rt, r)


def inspect(rt: Any, r: Any) -> str:
    lines = [sent_text(rt, r, "printString")]
    for name in field_names(r):
        lines.append(f"  {name}: {sent_text(rt, r.fields.get(name), 'printString')}")
    behavior = rt.class_of(r)
    lines.append(f"  methods: {printing.print_string(rt, selectors(behavior))}")
    return "\n".join(lines)


def selectors(behavior: Any) -> BtList:
    """A behavior's own selectors, sorted, as Symbols."""
    return BtList(Symbol(s) for s in sorted(behavior.methods))


def eq(rt: Any, r: Any, other: Any) -> bool:
    return equal(r, awaited(rt, other))


def coerced_eq(rt: Any, r: Any, other: Any) -> bool:
    return key_of(r, coerce=True) == key_of(awaited(rt, other), coerce=True)


def incomparable(selector: str):
    """`<` and friends on values that have no order: a TypeError."""

    def fail(rt: Any, r: Any, other: Any) -> Any:
        raise rt.error_from("not_comparable", selector=selector, kind=kind_name(rt, r))

    return fail


def hash_(rt: Any, r: Any) -> int:
    return hash(key_of(r))


def associate(rt: Any, r: Any, value: Any) -> Association:
    return Association(r, value)


def selector_name(rt: Any, selector: Any, sent: str) -> str:
    """The name a selector argument of the message `sent` gives (a TypeError names `sent`)."""
    if type(selector) is Symbol:
        return selector.name
    if type(selector) is str:
        return selector
    raise rt.error_from("expects_symbol", selector=sent, kind=kind_name(rt, selector))


def perform(rt: Any, r: Any, selector: Any, sent: str, *arguments: Any) -> Any:
    """`perform:` and friends: a selector taking as many arguments as are given."""
    name = selector_name(rt, selector, sent)
    if selector_arity(name) != len(arguments):
        raise rt.error_from("wrong_argument_count", selector=name, expected=selector_arity(name),
                            count=len(arguments))
    return rt.send(r, name, *arguments)


def perform_with_arguments(rt: Any, r: Any, selector: Any, arguments: Any) -> Any:
    if not isinstance(arguments, BtList):
        raise rt.error_from("expects_list", selector="perform:withArguments:",
                            kind=kind_name(rt, arguments))
    return perform(rt, r, selector, "perform:withArguments:", *arguments.items)


def field_names(r: Any) -> list[str]:
    """The fields reflection shows: value instances' and actors'."""
    if isinstance(r, ActorRef):
        return r.actor.cls.all_field_names()
    return r.cls.all_field_names() if isinstance(r, Instance) and not isinstance(
        r, ExceptionInstance) else []


def inst_var_names(rt: Any, r: Any) -> BtList:
    return BtList(Symbol(n) for n in field_names(r))


def field_key(rt: Any, r: Any, name: Any, sent: str) -> str:
    key = selector_name(rt, name, sent)
    if key not in field_names(r):
        raise rt.error_from("no_such_field", class_name=rt.class_of(r).name, field=key)
    return key


def inst_var_at(rt: Any, r: Any, name: Any) -> Any:
    key = field_key(rt, r, name, "instVarAt:")
    fields = getattr(r, "fields", None)
    if fields is None:  # a built-in value (3, nil, a List): it has no fields to read
        raise rt.error_from("no_such_field", **{"class": rt.class_of(r).name, "field": key})
    return fields.get(key)


def inst_var_at_put(rt: Any, r: Any, name: Any, value: Any) -> Any:
    if not isinstance(r, ActorRef):
        raise rt.error_from("immutable_value", class_name=rt.class_of(r).name)
    r.fields[field_key(rt, r, name, "instVarAt:put:")] = value
    return value


def error_(rt: Any, r: Any, text: Any) -> Any:
    raise rt.error_from("error_text", text=sent_text(rt, text, "displayString"))


def receiver_text(rt: Any, r: Any) -> str:
    """The receiver's printString cut to 40 characters plus `...`."""
    text = error_text_of(rt, r)
    return text if len(text) <= 40 else text[:40] + "..."


def does_not_understand(rt: Any, r: Any, message: Any) -> Any:
    if type(message) is not BtMessage:
        raise rt.error_from("expects_message", selector="doesNotUnderstand:",
                            kind=kind_name(rt, message))
    selector = message.selector.name
    raise rt.error_from("does_not_understand", receiver=receiver_text(rt, r), selector=selector,
                        attrs={"selector": message.selector, "receiver": r,
                               "arguments": message.arguments})


def responds_to(rt: Any, r: Any, selector: Any) -> bool:
    return rt.lookup(rt.class_of(r), selector_name(rt, selector, "respondsTo:")) is not None


def is_class(rt: Any, r: Any) -> bool:
    return isinstance(r, BtClass)


PRIMITIVES = {
    "Object": {
        "class": class_,
        "printString": print_string,
        "displayString": display_string,
        "inspect": inspect,
        "=": eq,
        "==": coerced_eq,
        "hash": hash_,
        "->": associate,
        "perform:": lambda rt, r, s: perform(rt, r, s, "perform:"),
        "perform:with:": lambda rt, r, s, a: perform(rt, r, s, "perform:with:", a),
        "perform:with:with:": lambda rt, r, s, a, b: perform(rt, r, s, "perform:with:with:", a, b),
        "perform:withArguments:": perform_with_arguments,
        "instVarNames": inst_var_names,
        "instVarAt:": inst_var_at,
        "instVarAt:put:": inst_var_at_put,
        "error:": error_,
        "doesNotUnderstand:": does_not_understand,
        "respondsTo:": responds_to,
        "isClass": is_class,
        "<": incomparable("<"),
        ">": incomparable(">"),
        "<=": incomparable("<="),
        ">=": incomparable(">="),
    },
    # Built-in values display differently from how they print (LANGUAGE.md 4); their
    # stdlib declarations carry the same rule as Beamtalk fallback bodies.
    **{name: {"displayString": display_string}
       for name in ("String", "Symbol", "Character", "List", "Tuple", "Set", "Dictionary",
                    "Association")},
    "Exception": {"printString": print_string, "displayString": display_string},
}
