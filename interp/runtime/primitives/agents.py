"""Primitives: models and tools, the agent layer (LANGUAGE.md 5.2).

The model registry belongs to one Runtime (`rt.model_registry`, made on first use), so
every session and conformance case starts with only `#echo`.  Models are values; the
registry also counts, per registered name, the requests made through that name and gives
the model that count as its `turn` (ScriptedModel picks its reply from it).  The count
lives with the registry entry because a value cannot change and the registry is the one
place every actor asking for `#name` shares; a lock makes each turn distinct when several
actors ask at once.

The HTTP model speaks the OpenAI-compatible chat-completions protocol with urllib from
the standard library, and runs the tools the model calls (bounded rounds).
"""

from __future__ import annotations

import http.client
import json
import os
import threading
import urllib.error
import urllib.request
from typing import Any

from beamtalk.interp.syntax.literals import symbol_literal

from ..kinds import kind_name
from ..objects import BtBlock, Instance
from ..values import BtDict, BtList, BtTuple, Symbol
from .support import expect_string

BASE_URL_VAR = "BEAMTALK_LLM_BASE_URL"
API_KEY_VAR = "BEAMTALK_LLM_API_KEY"
MODEL_PROTOCOL = "reply:context:tools:turn:"
HTTP_TIMEOUT = 60.0  # seconds for one HTTP exchange (module-level so tests can shorten it)
MAX_TOOL_ROUNDS = 8  # tool-call exchanges before an HTTP model's answer must be text
EXCERPT = 200  # characters of an unexpected reply quoted in error texts


# ------------------------------------------------------------------ the registry


class ModelRegistry:
    """One runtime's models by name, with the number of requests each name has served."""

    def __init__(self, echo: Any):
        self.lock = threading.Lock()
        self.models: dict[str, Any] = {"echo": echo}
        self.turns: dict[str, int] = {}

    def register(self, name: str, model: Any) -> None:
        """Store the model under the name; its turns start again from 1."""
        with self.lock:
            self.models[name] = model
            self.turns[name] = 0

    def lookup(self, name: str) -> Any | None:
        """The model registered under the name, or None."""
        with self.lock:
            return self.models.get(name)

    def next_turn(self, name: str) -> int:
        """Count one more request through this name; answer its number (1 for the first)."""
        with self.lock:
            turn = self.turns.get(name, 0) + 1
            self.turns[name] = turn
            return turn


def registry(rt: Any) -> ModelRegistry:
    """The runtime's model registry, created (with `#echo`) on first use."""
    found = rt.__dict__.get("model_registry")
    if found is None:
        with rt.lock:
            found = rt.__dict__.get("model_registry")
            if found is None:
                found = rt.model_registry = ModelRegistry(make_model(rt, "echo", None))
    return found


def make_model(rt: Any, name: str, endpoint: str | None) -> Instance:
    """A built-in Model: the echo model (no endpoint) or an HTTP model."""
    model = rt.classes["Model"]
    return model.new_instance({"name": Symbol(name), "endpoint": endpoint})


def expect_symbol(rt: Any, selector: str, value: Any) -> Symbol:
    if type(value) is not Symbol:
        raise rt.error_from("expects_symbol", selector=selector, kind=kind_name(rt, value))
    return value


def resolve(rt: Any, name: Symbol) -> Any:
    """The model for a name: registered, else an HTTP model if configured, else ModelNotFound."""
    model = registry(rt).lookup(name.name)
    if model is not None:
        return model
    base = os.environ.get(BASE_URL_VAR)
    if base:
        return make_model(rt, name.name, base.rstrip("/"))
    label = symbol_literal(name.name)
    raise rt.error_from("model_not_found", model=label, base_var=BASE_URL_VAR,
                        key_var=API_KEY_VAR, attrs={"receiver": name})


def awaited(rt: Any, value: Any) -> Any:
    """The value, or a future's result (`await` answers any other object itself)."""
    return rt.send(value, "await")


def register(rt: Any, cls: Any, model: Any, name: Any) -> Any:
    model = awaited(rt, model)
    name = expect_symbol(rt, "register:as:", awaited(rt, name))
    if not awaited(rt, rt.send(model, "respondsTo:", Symbol(MODEL_PROTOCOL))):
        raise rt.error_from("expects_model", selector="register:as:", protocol=MODEL_PROTOCOL,
                            kind=kind_name(rt, model))
    registry(rt).register(name.name, model)
    return model


def named(rt: Any, cls: Any, name: Any) -> Any:
    return resolve(rt, expect_symbol(rt, "named:", awaited(rt, name)))


def is_kind(rt: Any, value: Any, class_name: str) -> bool:
    return rt.class_of(value).includes_behavior(rt.classes[class_name])


def ask(rt: Any, cls: Any, name: Any, prompt: Any, context: Any, tools: Any) -> str:
    """`aSymbol complete: prompt context: aList tools: aToolRegistry`: always a String."""
    name = expect_symbol(rt, "complete:", awaited(rt, name))
    prompt = expect_string(rt, "complete:", awaited(rt, prompt))
    context = awaited(rt, context)
    tools = awaited(rt, tools)
    if type(context) not in (BtList, BtTuple):
        raise rt.error_from("expects_list_context", selector="complete:context:tools:",
                            kind=kind_name(rt, context))
    if not is_kind(rt, tools, "ToolRegistry"):
        raise rt.error_from("expects_tool_registry", selector="complete:context:tools:",
                            kind=kind_name(rt, tools))
    model = resolve(rt, name)
    turn = registry(rt).next_turn(name.name)
    answer = awaited(rt, rt.send(model, MODEL_PROTOCOL, prompt, context, tools, turn))
    if type(answer) is not str:
        raise rt.error_from("model_answer_not_string", model=symbol_literal(name.name),
                            kind=kind_name(rt, answer))
    return answer


# ------------------------------------------------------------------ the HTTP model


def chat(rt: Any, model: Any, prompt: Any, context: Any, tools: Any) -> str:
    """Ask an OpenAI-compatible endpoint; run the tools it calls until it answers text."""
    name = model.fields.get("name")
    label = f"Model {rt.send(name, 'printString')}"
    url = chat_url(rt, label, model.fields.get("endpoint"))
    messages = context_messages(rt, context)
    messages.append({"role": "user", "content": expect_string(rt, "chat:", prompt)})
    specs = tool_specs(rt, tools)
    for _ in range(MAX_TOOL_ROUNDS + 1):
        body: dict[str, Any] = {"model": rt.send(name, "displayString"), "messages": messages}
        if specs:
            body["tools"] = specs
        message = first_message(rt, label, url, post_json(rt, label, url, body))
        calls = message.get("tool_calls") or []
        if not (calls and specs):
            content = message.get("content")
            if type(content) is not str:
                raise rt.error_from("model_reply_no_text", model=label, url=url,
                                    reply=excerpt(json.dumps(message)))
            return content
        messages.append(message)
        messages.extend(run_tool_call(rt, label, tools, call) for call in calls)
    raise rt.error_from("model_tool_rounds", model=label, rounds=MAX_TOOL_ROUNDS)


def chat_url(rt: Any, label: str, endpoint: Any) -> str:
    if type(endpoint) is not str or not endpoint.startswith(("http://", "https://")):
        raise rt.error_from("model_bad_endpoint", model=label, base_var=BASE_URL_VAR,
                            endpoint=rt.send(endpoint, "printString"))
    return endpoint.rstrip("/") + "/chat/completions"


def entry(d: BtDict, key: str) -> Any:
    """A context Dictionary's value under #key or 'key' (nil when absent)."""
    found = d.get(Symbol(key))
    return d.get(key) if found is None else found


def context_messages(rt: Any, context: Any) -> list[dict[str, str]]:
    """Earlier turns: Strings are user messages; Dictionaries hold #question/#response
    (a user and an assistant message) or #role/#content (one message as given)."""
    if type(context) not in (BtList, BtTuple):
        raise rt.error_from("expects_list_context", selector="chat:", kind=kind_name(rt, context))
    messages = []
    for item in context.items:
        if type(item) is str:
            messages.append({"role": "user", "content": item})
        elif type(item) is BtDict and entry(item, "role") is not None:
            messages.append({"role": rt.send(entry(item, "role"), "displayString"),
                             "content": rt.send(entry(item, "content"), "displayString")})
        elif type(item) is BtDict:
            for key, role in (("question", "user"), ("response", "assistant")):
                value = entry(item, key)
                if value is not None:
                    messages.append({"role": role, "content": rt.send(value, "displayString")})
        else:
            raise rt.error_from("bad_context_entry", kind=kind_name(rt, item))
    return messages


def tool_specs(rt: Any, tools: Any) -> list[dict[str, Any]]:
    """The registry's tools as chat-completions function declarations (any arguments)."""
    specs = []
    for tool_name in awaited(rt, rt.send(tools, "names")).items:
        tool = rt.send(tools, "at:", tool_name)
        specs.append({"type": "function", "function": {
            "name": rt.send(tool_name, "displayString"),
            "description": rt.send(rt.send(tool, "description"), "displayString"),
            "parameters": {"type": "object"},
        }})
    return specs


def run_tool_call(rt: Any, label: str, tools: Any, call: Any) -> dict[str, Any]:
    """Run one tool the model asked for; answer the `tool` message carrying its result."""
    function = call.get("function") if isinstance(call, dict) else None
    if not isinstance(function, dict) or type(function.get("name")) is not str:
        raise rt.error_from("model_bad_tool_call", model=label, call=excerpt(json.dumps(call)))
    text = function.get("arguments") or "{}"
    try:
        arguments = json.loads(text) if type(text) is str else text
    except ValueError:
        raise rt.error_from("model_tool_arguments", model=label, tool=function["name"],
                            arguments=excerpt(str(text))) from None
    result = awaited(rt, rt.send(tools, "call:with:", function["name"],
                                 from_json(arguments)))
    return {"role": "tool", "tool_call_id": call.get("id"),
            "content": rt.send(result, "displayString")}


def from_json(value: Any) -> Any:
    """JSON data as Beamtalk values: objects become Dictionaries with Symbol keys."""
    if isinstance(value, dict):
        return BtDict.of((Symbol(k), from_json(v)) for k, v in value.items())
    if isinstance(value, list):
        return BtList(from_json(v) for v in value)
    return value


def post_json(rt: Any, label: str, url: str, body: dict[str, Any]) -> Any:
    """POST the body as JSON and answer the decoded reply; failures are Beamtalk Errors."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    key = os.environ.get(API_KEY_VAR)
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"),
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        detail = excerpt(exc.read().decode("utf-8", "replace"))
        if detail:
            raise rt.error_from("model_http_status_detail", model=label, status=exc.code,
                                url=url, detail=detail) from None
        raise rt.error_from("model_http_status", model=label, status=exc.code, url=url) from None
    except urllib.error.URLError as exc:
        raise network_error(rt, label, url, exc.reason) from None
    except (OSError, http.client.HTTPException) as exc:
        raise network_error(rt, label, url, exc) from None
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=reject_constant)
    except ValueError:
        raise rt.error_from("model_not_json", model=label, url=url,
                            reply=excerpt(raw.decode("utf-8", "replace"))) from None


def reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a Beamtalk number")


def network_error(rt: Any, label: str, url: str, reason: Any) -> Any:
    if isinstance(reason, TimeoutError):
        return rt.error_from("model_no_reply", model=label, url=url, seconds=f"{HTTP_TIMEOUT:g}")
    return rt.error_from("model_unreachable", model=label, url=url, reason=reason)


def first_message(rt: Any, label: str, url: str, reply: Any) -> dict[str, Any]:
    """`choices[0].message` of a chat-completions reply (or the provider's error)."""
    if isinstance(reply, dict) and reply.get("error"):
        error = reply["error"]
        text = error.get("message") if isinstance(error, dict) else None
        raise rt.error_from("model_error_reply", model=label, url=url,
                            detail=text if isinstance(text, str) else excerpt(json.dumps(error)))
    try:
        message = reply["choices"][0]["message"]
    except (KeyError, IndexError, TypeError):
        message = None
    if not isinstance(message, dict):
        raise rt.error_from("model_unexpected_reply", model=label, url=url,
                            reply=excerpt(json.dumps(reply)))
    return message


def excerpt(text: str) -> str:
    """The text on one line, cut to EXCERPT characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT else flat[:EXCERPT] + "..."


# ------------------------------------------------------------------ constructors


def scripted(rt: Any, cls: Any, replies: Any) -> Instance:
    replies = awaited(rt, replies)
    if type(replies) not in (BtList, BtTuple):
        raise rt.error_from("expects_string_list", selector="replies:", kind=kind_name(rt, replies))
    if not replies.items:
        raise rt.error_from("no_replies")
    for reply in replies.items:
        if type(reply) is not str:
            raise rt.error_from("expects_string_list_item", selector="replies:",
                                kind=kind_name(rt, reply))
    return cls.new_instance({"replies": BtList(replies.items)})


def tool(rt: Any, cls: Any, name: Any, description: Any, block: Any) -> Instance:
    name = expect_string(rt, "named:description:do:", awaited(rt, name))
    description = expect_string(rt, "named:description:do:", awaited(rt, description))
    if not name:
        raise rt.error_from("tool_without_name")
    if type(block) is not BtBlock:
        raise rt.error_from("expects_block", selector="named:description:do:",
                            kind=kind_name(rt, block))
    if block.num_args > 1:
        raise rt.error_from("tool_block_arity", count=block.num_args)
    fields = {"name": name, "description": description, "action": block}
    return cls.new_instance(fields)


def default_registry(rt: Any, cls: Any) -> Instance:
    return cls.new_instance({"tools": BtDict()})


PRIMITIVES = {
    "Model class": {
        "register:as:": register,
        "named:": named,
        "ask:prompt:context:tools:": ask,
    },
    "Model": {
        "chat:context:tools:": chat,
    },
    "ScriptedModel class": {
        "replies:": scripted,
    },
    "Tool class": {
        "named:description:do:": tool,
    },
    "ToolRegistry class": {
        "default": default_registry,
    },
}
