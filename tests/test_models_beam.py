"""Models and tools on both backends (LANGUAGE.md 5.2): the HTTP model against a local
chat-completions server on 127.0.0.1, run as a script with `beamtalk run --backend X`, so the
BEAM's httpc + beamtalk_json path and the interpreter's urllib path answer the same."""

from __future__ import annotations

import json
import shutil
import threading
from typing import Any

import pytest
from test_prim_agents import ChatServer, reply

from beamtalk.bootstrap.cli import main

BACKENDS = ["interp", pytest.param("beam", marks=[
    pytest.mark.slow, pytest.mark.skipif(shutil.which("erl") is None,
                                         reason="needs Erlang/OTP")])]


@pytest.fixture(autouse=True)
def no_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    """No configured provider, and no proxy between the tests and their local server."""
    for name in ("BEAMTALK_LLM_BASE_URL", "BEAMTALK_LLM_API_KEY", "http_proxy", "HTTP_PROXY",
                 "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


def run_script(tmp_path, capsys, backend: str, source: str) -> list[str]:
    script = tmp_path / "s.bt"
    script.write_text(source, encoding="utf-8")
    assert main(["run", "--backend", backend, str(script)]) == 0, capsys.readouterr().err
    return capsys.readouterr().out.splitlines()


def local_server(respond: Any) -> ChatServer:
    """A ChatServer that stops itself only after 10 minutes: a script on the BEAM compiles
    its statements first, which under load can outlast the default 30 s."""
    server = ChatServer(respond)
    server.deadline = threading.Timer(600, server.server.shutdown)
    return server


def tool_round(body: dict[str, Any]) -> tuple[int, Any]:
    """Call the `add` tool first; answer with its result once it is there."""
    last = body["messages"][-1]
    if last["role"] == "tool":
        return reply("the sum is " + last["content"])
    call = {"id": "c1", "type": "function",
            "function": {"name": "add", "arguments": json.dumps({"a": 2, "b": 3})}}
    return 200, {"choices": [{"message": {"role": "assistant", "content": None,
                                          "tool_calls": [call]}}]}


@pytest.mark.parametrize("backend", BACKENDS)
def test_http_model_runs_tools(backend, tmp_path, capsys, monkeypatch):
    with local_server(tool_round) as server:
        monkeypatch.setenv("BEAMTALK_LLM_BASE_URL", server.url + "/")
        monkeypatch.setenv("BEAMTALK_LLM_API_KEY", "sk-test")
        out = run_script(tmp_path, capsys, backend, (
            "t := Tool named: 'add' description: 'Adds a and b'\n"
            "  do: [:x | (x at: #a) + (x at: #b)]\n"
            "Transcript showCr: (#calc complete: 'add' context: #('note') tools: "
            "(ToolRegistry default register: t))\n"
            "Transcript showCr: (#echo complete: 'still echo')\n"))
        assert out == ["the sum is 5", "still echo"]
        first, second = (r["body"] for r in server.requests)
        assert all(r["auth"] == "Bearer sk-test" for r in server.requests)
        assert first["model"] == "calc"
        assert first["messages"] == [{"role": "user", "content": "note"},
                                     {"role": "user", "content": "add"}]
        assert first["tools"] == [{"type": "function", "function": {
            "name": "add", "description": "Adds a and b", "parameters": {"type": "object"}}}]
        assert second["messages"][-1] == {"role": "tool", "tool_call_id": "c1", "content": "5"}
        assert second["messages"][-2]["tool_calls"][0]["id"] == "c1"


FAILURES = [
    (lambda body: (500, {"error": {"message": "boom"}}), "HTTP 500 from {url}/chat/completions: "
     '{"error": {"message": "boom"}}'),
    (lambda body: (200, b"<html>not json"), "{url}/chat/completions did not answer JSON: "
     "<html>not json"),
    (lambda body: (200, {"choices": []}), "unexpected reply from {url}/chat/completions: "
     '{"choices": []}'),
    (lambda body: (200, {"error": {"message": "quota"}}), "{url}/chat/completions answered an "
     "error: quota"),
    (lambda body: reply(None), "the reply from {url}/chat/completions has no text: "
     '{"role": "assistant", "content": null}'),
]


@pytest.mark.parametrize("backend", BACKENDS)
def test_http_failures_read_the_same(backend, tmp_path, capsys, monkeypatch):
    for respond, text in FAILURES:
        with local_server(respond) as server:
            monkeypatch.setenv("BEAMTALK_LLM_BASE_URL", server.url)
            out = run_script(tmp_path, capsys, backend,
                             "Transcript showCr: ([#gpt complete: 'x'] on: Error do: "
                             "[:e | e messageText])\n")
            assert out == ["Model #gpt: " + text.replace("{url}", server.url)]
