"""Models and tools (LANGUAGE.md 5.2): the registry, ScriptedModel turns, the HTTP model.

The HTTP model is tested against a small chat-completions server on 127.0.0.1 that the
test starts and stops; nothing else is contacted.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from beamtalk.interp.runtime.primitives import agents
from beamtalk.interp.session import evaluate

pytestmark = pytest.mark.usefixtures("close_runtimes")  # tests/conftest.py


def run(source: str) -> list[str]:
    """printString of each statement's value, or its `ERROR: kind: text`."""
    return evaluate(source)


def last(source: str) -> str:
    return run(source)[-1]


@pytest.fixture(autouse=True)
def no_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    """No configured provider, and no proxy between the tests and their local server."""
    for name in ("BEAMTALK_LLM_BASE_URL", "BEAMTALK_LLM_API_KEY", "http_proxy", "HTTP_PROXY",
                 "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


# ------------------------------------------------------------------ registry and models


def test_echo_is_always_registered():
    assert run("#echo complete: 'hello'\n#echo complete: 'q' context: #('a') tools: "
               "ToolRegistry default\nModel named: #echo") == [
        "'hello'", "'q'", "a Model(name: #echo, endpoint: nil)"]


def test_model_not_found_names_the_model_and_hints():
    text = last("#claude_opus complete: 'hi'")
    assert text.startswith("ERROR: model_not_found: No model named #claude_opus. ")
    assert "Model register: aModel as: #claude_opus" in text
    assert "BEAMTALK_LLM_BASE_URL" in text
    assert last("[Model named: #nope] on: ModelNotFound do: [:e | e receiver]") == "#nope"


def test_scripted_model_turns_are_per_registered_name():
    src = ("m := ScriptedModel replies: #('a', 'b')\n"
           "Model register: m as: #one\nModel register: m as: #two\n"
           "#one complete: 'x'\n#one complete: 'x'\n#two complete: 'x'\n#one complete: 'x'\n"
           "(Model named: #one) = m\n"
           "Model register: m as: #one\n#one complete: 'x'")
    assert run(src)[3:] == ["'a'", "'b'", "'a'", "'b'", "true",
                            "a ScriptedModel(replies: #('a', 'b'))", "'a'"]


def test_each_runtime_starts_with_a_fresh_registry():
    run("Model register: (ScriptedModel replies: #('a')) as: #kept")
    assert last("#kept complete: 'x'").startswith("ERROR: model_not_found")


def test_any_object_answering_the_protocol_is_a_model():
    src = ("Object subclass: Shouty\n"
           "  reply: p context: c tools: t turn: n => p asUppercase, ' ', n printString\n"
           "Model register: Shouty new as: #shouty\n"
           "#shouty complete: 'hi'\n#shouty complete: 'hi'\n"
           "Object subclass: Bad\n  reply: p context: c tools: t turn: n => n\n"
           "Model register: Bad new as: #bad\n#bad complete: 'x'")
    out = run(src)
    assert out[2:4] == ["'HI 1'", "'HI 2'"]
    assert out[-1] == "ERROR: type_error: model #bad answered an Integer, not a String"


@pytest.mark.parametrize(("source", "error"), [
    ("Model register: 3 as: #x", "type_error: #register:as: expects a model"),
    ("Model register: (ScriptedModel replies: #('a')) as: 'x'",
     "type_error: #register:as: expects a Symbol, got a String"),
    ("ScriptedModel replies: #()", "argument_error: a ScriptedModel needs at least one reply"),
    ("ScriptedModel replies: #(1)", "type_error: #replies: expects a List of Strings"),
    ("#echo complete: 42", "type_error: #complete: expects a String, got an Integer"),
    ("#echo complete: 'a' context: 3 tools: ToolRegistry default",
     "type_error: #complete:context:tools: expects a List context"),
    ("#echo complete: 'a' context: #() tools: nil",
     "type_error: #complete:context:tools: expects a ToolRegistry, got nil"),
    ("ScriptedModel new", "instantiation_error"),
])
def test_argument_errors(source: str, error: str):
    assert last(source).startswith("ERROR: " + error)


# ------------------------------------------------------------------ tools


def test_tools_and_registries_are_values():
    src = ("t := Tool named: 'add' description: 'Adds' do: [:a | (a at: 1) + (a at: 2)]\n"
           "r := ToolRegistry default register: t\n"
           "r names\nToolRegistry default names\nr call: 'add' with: #(2, 3)\n"
           "(r at: #add) description\nr = (ToolRegistry default register: t)\n"
           "r at: 'nope'\n(Tool named: 'now' description: '' do: ['tick']) call: nil")
    assert run(src)[2:] == ["#('add')", "#()", "5", "'Adds'", "true",
                            "ERROR: key_not_found: Key not found: 'nope'", "'tick'"]


@pytest.mark.parametrize(("source", "error"), [
    ("Tool named: 'x' description: 'd' do: [:a :b | 1]", "argument_error: a tool's block"),
    ("Tool named: 3 description: 'd' do: [:a | 1]", "type_error: #named:description:do:"),
    ("Tool named: 'x' description: 'd' do: 5", "type_error: #named:description:do: expects a "
                                               "Block"),
    ("ToolRegistry default register: 5", "type_error: #register: expects a Tool"),
])
def test_tool_argument_errors(source: str, error: str):
    assert last(source).startswith("ERROR: " + error)


# ------------------------------------------------------------------ the HTTP model


class ChatServer:
    """A chat-completions endpoint on 127.0.0.1 answering from `respond(body) -> (status, data)`."""

    def __init__(self, respond: Callable[[dict[str, Any]], tuple[int, Any]]):
        self.requests: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length))
                outer.requests.append({"path": self.path, "body": body,
                                       "auth": self.headers.get("Authorization")})
                status, data = respond(body)
                raw = data if isinstance(data, bytes) else json.dumps(data).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(raw)))
                    self.end_headers()
                    self.wfile.write(raw)
                except OSError:  # the client gave up (the timeout test)
                    pass

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.02,),
                                       daemon=True)
        # Stops itself even if a test forgets to: no server outlives the run by much.
        self.deadline = threading.Timer(30, self.server.shutdown)

    def __enter__(self) -> ChatServer:
        self.thread.start()
        self.deadline.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.deadline.cancel()
        self.server.shutdown()
        self.server.server_close()


def reply(content: Any) -> tuple[int, Any]:
    return 200, {"choices": [{"message": {"role": "assistant", "content": content}}]}


@pytest.fixture
def provider(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., ChatServer]]:
    """Start a ChatServer and point BEAMTALK_LLM_BASE_URL at it."""
    servers: list[ChatServer] = []

    def start(respond: Callable[[dict[str, Any]], tuple[int, Any]]) -> ChatServer:
        server = ChatServer(respond).__enter__()
        servers.append(server)
        monkeypatch.setenv("BEAMTALK_LLM_BASE_URL", server.url + "/")
        return server

    yield start
    for server in servers:
        server.__exit__()


def test_http_model_speaks_chat_completions(provider, monkeypatch):
    server = provider(lambda body: reply("Hi from " + body["model"]))
    monkeypatch.setenv("BEAMTALK_LLM_API_KEY", "sk-test")
    src = ("ctx := #(#{#question => 'q1', #response => 'r1'}, 'note')\n"
           "#gpt_test complete: 'hello' context: ctx tools: ToolRegistry default\n"
           "(Model named: #gpt_test) endpoint\n#echo complete: 'still echo'")
    out = run(src)
    assert out[1:] == ["'Hi from gpt_test'", repr(server.url), "'still echo'"]
    (request,) = server.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["auth"] == "Bearer sk-test"
    assert request["body"] == {"model": "gpt_test", "messages": [
        {"role": "user", "content": "q1"}, {"role": "assistant", "content": "r1"},
        {"role": "user", "content": "note"}, {"role": "user", "content": "hello"}]}


def test_registered_names_win_over_the_provider(provider):
    server = provider(lambda body: reply("remote"))
    src = "Model register: (ScriptedModel replies: #('local')) as: #mine\n#mine complete: 'x'"
    assert last(src) == "'local'"
    assert server.requests == []


def test_http_model_runs_the_tools_it_calls(provider):
    def respond(body: dict[str, Any]) -> tuple[int, Any]:
        last_message = body["messages"][-1]
        if last_message["role"] == "tool":
            return reply("the sum is " + last_message["content"])
        call = {"id": "c1", "type": "function",
                "function": {"name": "add", "arguments": json.dumps({"a": 2, "b": 3})}}
        return 200, {"choices": [{"message": {"role": "assistant", "content": None,
                                              "tool_calls": [call]}}]}

    server = provider(respond)
    src = ("t := Tool named: 'add' description: 'Adds a and b' do: [:x | (x at: #a) + (x at: #b)]\n"
           "#calc complete: 'add' context: #() tools: (ToolRegistry default register: t)")
    assert last(src) == "'the sum is 5'"
    first, second = (r["body"] for r in server.requests)
    assert first["tools"] == [{"type": "function", "function": {
        "name": "add", "description": "Adds a and b", "parameters": {"type": "object"}}}]
    assert second["messages"][-1] == {"role": "tool", "tool_call_id": "c1", "content": "5"}


@pytest.mark.parametrize(("respond", "text"), [
    (lambda body: (500, {"error": {"message": "boom"}}), "HTTP 500 from http://127.0.0.1:"),
    (lambda body: (200, b"<html>not json"), "did not answer JSON: <html>not json"),
    (lambda body: (200, {"choices": []}), "unexpected reply from"),
    (lambda body: (200, {"error": {"message": "quota"}}), "answered an error: quota"),
    (lambda body: reply(None), "has no text"),
])
def test_http_failures_are_errors(provider, respond, text):
    provider(respond)
    out = last("#gpt_test complete: 'x'")
    assert out.startswith("ERROR: error: Model #gpt_test: ")
    assert text in out


def test_http_timeout_is_an_error(provider, monkeypatch):
    monkeypatch.setattr(agents, "HTTP_TIMEOUT", 0.2)
    provider(lambda body: (time.sleep(1), reply("late"))[1])
    assert "no reply from http://127.0.0.1:" in last("#slow complete: 'x'")


def test_unreachable_endpoint_is_an_error(monkeypatch):
    with socket.socket() as sock:  # a port that nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("BEAMTALK_LLM_BASE_URL", f"http://127.0.0.1:{port}/v1")
    assert "cannot reach http://127.0.0.1:" in last("#gone complete: 'x'")


def test_only_http_endpoints_are_used(monkeypatch):
    monkeypatch.setenv("BEAMTALK_LLM_BASE_URL", "file:///etc")
    assert "must be an http:// or https:// URL" in last("#local complete: 'x'")


def test_concurrent_askers_get_distinct_turns():
    src = ("Model register: (ScriptedModel replies: ((1 to: 20) collect: [:i | i printString])) "
           "as: #s\n"
           "Actor subclass: Asker\n  ask => ^#s complete: 'x'\n"
           "futures := (1 to: 20) collect: [:i | Asker spawn ask]\n"
           "(futures collect: [:f | f await]) asSet size")
    assert last(src) == "20"
