"""The interpreter's Erlang node for `Erlang module function: ...` calls (LANGUAGE.md 7).

One `ErlangNode` belongs to one Runtime. The node starts on the first call, when `erl` is on
PATH (else the call signals UnsupportedError), and stops when the runtime closes (or is
collected; the node also halts when its standard input closes, so it never outlives us).
It runs a small loop given with `-eval`: 4-byte length-prefixed packets on fds 0/1, each a
`term_to_binary` request `{call, M, F, Args}` answered with `{ok, Value}`,
`{error, Class, Text, Reason}` (Text is `~tp` of the reason) or `{undef, function | module}`
when the called function itself is missing; `format_last` answers `{text, ~tp of the last
value}` (for the error about a value with no Beamtalk counterpart). The term mapping and its
checks are `erlang_terms.py`; the texts are stdlib/errors.tsv's `erlang_*` entries, as on the
BEAM backend (runtime_erl/src/beamtalk_erlang.erl).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import threading
import weakref
from typing import Any

from beamtalk.interp.runtime import erlang_terms
from beamtalk.interp.runtime.erlang_terms import NoCounterpart
from beamtalk.interp.runtime.kinds import kind_name
from beamtalk.interp.runtime.scheduler import unpinned
from beamtalk.interp.runtime.signalling import signal
from beamtalk.interp.runtime.values import BtTuple, Symbol

# The node's loop. Its own io (a called function's io:format, the logger) goes to standard
# error: standard output carries the packets. (The logger's default handler cannot change its
# `type` once started, so it is replaced by one writing to standard error.) If the loop's
# process is ever killed (a linked process a call started), the node halts rather than
# leave us waiting for a reply: the call reports the failure and the next one starts anew.
NODE_LOOP = r"""
Port = open_port({fd, 0, 1}, [{packet, 4}, binary, eof]),
group_leader(whereis(standard_error), self()),
Me = self(),
spawn(fun() -> R = monitor(process, Me), receive {'DOWN', R, _, _, _} -> halt(1) end end),
catch logger:remove_handler(default),
catch logger:add_handler(default, logger_std_h, #{config => #{type => standard_error}}),
Fmt = fun(T) -> unicode:characters_to_binary(io_lib:format("~tp", [T])) end,
Call = fun(M, F, A) ->
  try {ok, erlang:apply(M, F, A)}
  catch
    error:undef:S ->
      case S of
        [{M, F, A, _} | _] ->
          case code:ensure_loaded(M) of
            {module, _} -> {undef, function};
            _ -> {undef, module}
          end;
        _ -> {error, error, Fmt(undef), undef}
      end;
    C:R -> {error, C, Fmt(R), R}
  end
end,
Loop = fun Loop(Last) ->
  receive
    {Port, {data, Bin}} ->
      {Reply, Next} =
        case binary_to_term(Bin) of
          {call, M, F, A} -> Res = Call(M, F, A), {Res, Res};
          format_last ->
            case Last of
              {ok, V} -> {{text, Fmt(V)}, Last};
              _ -> {{text, <<>>}, Last}
            end
        end,
      Port ! {self(), {command, term_to_binary(Reply)}},
      Loop(Next);
    {Port, eof} -> halt(0)
  end
end,
Loop(none).
"""


class ErlangNodeFailed(Exception):
    """The node could not start, or ended while a call was running."""


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """End a node: closing its standard input makes the loop halt; kill it if it does not."""
    try:
        if proc.stdin is not None:
            proc.stdin.close()
        proc.wait(timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        proc.kill()
        proc.wait()
    if proc.stdout is not None:
        proc.stdout.close()


class ErlangNode:
    """The runtime's Erlang node: started on the first call, one call at a time."""

    def __init__(self, rt: Any):
        self.rt = rt
        self.proc: subprocess.Popen[bytes] | None = None
        self.lock = threading.Lock()
        self._finalizer: weakref.finalize | None = None

    # ------------------------------------------------------------------ lifecycle

    def available(self) -> bool:
        """True when `erl` is on PATH (checked at each call: the PATH may change)."""
        return shutil.which("erl") is not None

    def start(self) -> subprocess.Popen[bytes]:
        """The running node, started now if needed."""
        if self.proc is not None and self.proc.poll() is None:
            return self.proc
        erl = shutil.which("erl")
        if erl is None:
            raise ErlangNodeFailed("no `erl` on PATH")
        try:
            with unpinned():  # the node's schedulers get every CPU, not a worker's one
                proc = subprocess.Popen([erl, "-noinput", "-eval", NODE_LOOP],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        except OSError as err:
            raise ErlangNodeFailed(f"cannot start {erl}: {err}") from None
        self.proc = proc
        self._finalizer = weakref.finalize(self, _stop, proc)
        return proc

    def close(self) -> None:
        """Stop the node (the next call starts a new one)."""
        with self.lock:
            if self._finalizer is not None:
                self._finalizer()
                self._finalizer = None
            self.proc = None

    # ------------------------------------------------------------------ calls

    def exchange(self, request: bytes) -> Any:
        """Send one packet and answer the decoded reply term (raw tuple parts)."""
        proc = self.start()
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(struct.pack(">I", len(request)) + request)
            proc.stdin.flush()
            header = proc.stdout.read(4)
            if len(header) < 4:
                raise ErlangNodeFailed(f"the node exited (status {proc.wait()})")
            size = struct.unpack(">I", header)[0]
            body = proc.stdout.read(size)
        except OSError as err:
            raise ErlangNodeFailed(f"the node's pipe failed: {err}") from None
        if len(body) < size:
            raise ErlangNodeFailed(f"the node exited (status {proc.wait()})")
        return body

    def call(self, module: str, function: str, args: list[Any]) -> Any:
        """`module:function(args)` on the node, as a Beamtalk value or a signalled error."""
        rt = self.rt
        where = {"module": module, "function": function, "arity": len(args)}
        try:
            request = erlang_terms.encode_call(module, function, args)
        except NoCounterpart as err:
            raise rt.error_from("erlang_argument_no_counterpart", index=err.index,
                                kind=kind_name(rt, err.value), **where) from None
        with rt.scheduler.blocking(), self.lock:
            try:
                body = self.exchange(request)
                reply, value_error = self.decode_reply(body)
                text = None
                if value_error:
                    text = erlang_terms.decode(self.exchange(erlang_terms.encode_atom(
                        "format_last"))).items[1]
            except ErlangNodeFailed as err:
                self.proc = None
                raise rt.error_from("erlang_node_failed", reason=str(err)) from None
        if value_error:
            raise rt.error_from("erlang_result_no_counterpart", term=text, **where)
        tag = reply.items[0].name
        if tag == "ok":
            return reply.items[1]
        if tag == "undef":
            if reply.items[1].name == "function":
                raise rt.error_from("erlang_undefined_function", **where)
            raise rt.error_from("erlang_undefined_module", **where)
        _, erl_class, fallback, reason = reply.items
        readable = reason is not _UNREADABLE
        shown = rt.send(reason, "printString") if readable else fallback
        exc = rt.make_error_from("erlang_exception", erlang_class=erl_class.name, reason=shown)
        exc.fields["erlangClass"] = erl_class
        exc.fields["reason"] = reason if readable else fallback
        raise signal(rt, exc)

    def decode_reply(self, body: bytes) -> tuple[Any, bool]:
        """The reply as a Tuple, and whether its value has no Beamtalk counterpart.

        An error's reason without a counterpart is replaced by `_UNREADABLE` (its `~tp`
        text comes before it in the reply).
        """
        try:
            return erlang_terms.decode(body), False
        except NoCounterpart:
            pass
        if body[1] != erlang_terms.SMALL_TUPLE:
            raise ErlangNodeFailed("malformed reply")
        tag, pos = erlang_terms.decode_at(body, 3)
        if tag == Symbol("ok"):
            return BtTuple((tag, None)), True
        erl_class, pos = erlang_terms.decode_at(body, pos)
        text, pos = erlang_terms.decode_at(body, pos)
        return BtTuple((tag, erl_class, text, _UNREADABLE)), False


_UNREADABLE = object()
