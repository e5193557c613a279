"""The REPL through a pseudo-terminal (issue 10 item 8): Ctrl-C interrupts a running
statement (and only it), a continuation prompt or an empty prompt and keeps the session,
even when pressed the moment a prompt appears; `:load` errors, unknown commands, a way out
of an unterminated string, `inspect` as lines."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest

BEAMTALK = Path(sys.executable).with_name("beamtalk")
WAIT_S = 60.0  # generous: only a hang reaches it (nothing here is timed)


class Terminal:
    """`beamtalk repl` on a pseudo-terminal, driven like a user at the keyboard."""

    def __init__(self) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: the REPL, with the pty as its controlling terminal
            os.environ["TERM"] = "dumb"
            os.environ["HOME"] = os.environ.get("TMPDIR", "/tmp")  # no history file clash
            os.execv(str(BEAMTALK), [str(BEAMTALK), "repl"])
        self.pid, self.fd = pid, fd
        self.seen = ""

    def read_until(self, text: str) -> str:
        """Everything up to and including `text` (which must appear before WAIT_S)."""
        deadline = time.monotonic() + WAIT_S
        while text not in self.seen:
            left = deadline - time.monotonic()
            assert left > 0, f"never saw {text!r}; got {self.seen[-500:]!r}"
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:
                    chunk = b""
                assert chunk, f"the REPL ended; got {self.seen[-500:]!r}"
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        head, _, self.seen = self.seen.partition(text)
        return head + text

    def shows(self, text: str, seconds: float) -> str | None:
        """What read_until gives if `text` appears within `seconds`, else None."""
        deadline = time.monotonic() + seconds
        while text not in self.seen:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            if select.select([self.fd], [], [], left)[0]:
                chunk = os.read(self.fd, 4096)
                assert chunk, f"the REPL ended; got {self.seen[-500:]!r}"
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        return self.read_until(text)

    def line(self, text: str) -> None:
        os.write(self.fd, text.encode() + b"\r")

    def ctrl_c(self) -> None:
        os.write(self.fd, b"\x03")

    def answer(self, text: str) -> str:
        """Send a line; the output up to the next main prompt, without the echo."""
        self.line(text)
        out = self.read_until("bt> ")
        return out.split("\n", 1)[1][: -len("bt> ")] if "\n" in out else ""

    def close(self) -> int:
        try:
            self.line(":quit")
            deadline = time.monotonic() + WAIT_S
            while time.monotonic() < deadline:
                pid, status = os.waitpid(self.pid, os.WNOHANG)
                if pid:
                    return os.waitstatus_to_exitcode(status)
                try:
                    # never block: a REPL that neither exits nor writes must reach the deadline
                    if select.select([self.fd], [], [], 0.05)[0]:
                        os.read(self.fd, 4096)
                except OSError:
                    time.sleep(0.05)
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            return -9
        finally:
            os.close(self.fd)


@pytest.fixture
def term():
    t = Terminal()
    t.read_until("bt> ")
    yield t
    assert t.close() == 0


def test_ctrl_c_interrupts_a_long_loop_and_keeps_bindings(term):
    assert term.answer("x := 42").strip() == "42"
    term.line("[true] whileTrue: [x := x + 1]")
    time.sleep(0.5)  # let it start (the result does not depend on how long it ran)
    term.ctrl_c()
    out = term.read_until("bt> ")
    assert "Interrupted." in out and "Traceback" not in out
    # The loop has stopped, not gone on in the background: x no longer changes.
    assert term.answer("a := x").strip() == term.answer("x").strip()
    assert term.answer("a = x").strip() == "true"


def test_an_interrupt_stops_only_the_statement_it_hit(term):
    term.line("[true] whileTrue: [nil]")
    time.sleep(0.3)
    term.ctrl_c()
    assert "Interrupted." in term.read_until("bt> ")
    # The next statements run to their end: no second interrupt reaches them.
    for _ in range(3):
        out = term.answer("(1 to: 200000) inject: 0 into: [:a :b | a + b]")
        assert out.strip() == "20000100000"


def test_ctrl_c_interrupts_a_wait_on_a_spinning_actor(term):
    term.answer("Actor subclass: Spin\n  spin => [true] whileTrue: [nil]\n")
    term.answer("s := Spin spawn")
    term.line("s spin awaitForever")
    time.sleep(0.5)
    term.ctrl_c()
    assert "Interrupted." in term.read_until("bt> ")
    assert term.answer("3 + 4").strip() == "7"
    # Only the wait was interrupted: the actor goes on with its message.
    assert term.answer("s isAlive").strip() == "true"
    term.line("s stop")  # waits for the end of a message that never ends
    time.sleep(0.3)
    term.ctrl_c()
    assert "Interrupted." in term.read_until("bt> ")
    assert term.answer("s kill").strip() == "#ok"
    assert term.answer("s isAlive").strip() == "false"


def test_ctrl_c_right_after_each_prompt(term):
    """Each press, sent as soon as the prompt shows, brings a fresh prompt at once."""
    term.answer("w := 7")
    for _ in range(40):
        term.ctrl_c()
        out = term.read_until("bt> ")
        assert "Traceback" not in out and "Interrupted." not in out
    assert term.answer("w * 2").strip() == "14"


def test_a_storm_of_ctrl_c_keeps_the_session(term):
    """Presses that land anywhere (while reading, running, printing, between), many at once,
    never end the session: nothing but the REPL's own handling ever sees them."""
    term.answer("w := 7")
    for i in range(150):
        term.ctrl_c()
        if i % 7 == 0:
            term.line("w")
        time.sleep(0.001 * (i % 5))  # presses at varied moments (nothing depends on it)
    # A press still being handled when the next line is typed drops that pending line (as
    # at any prompt), and the terminal discards unread input at each press: so the session
    # is asked until it answers, each time with a line of its own.
    # (A line merged with a dropped one may be a compile error: only tracebacks are wrong.)
    out = ""
    for k in range(20):
        term.line(f"'storm over' size + {k * 100}")
        seen = term.shows(f"\n{10 + k * 100}\n", 3.0)
        out += seen or term.seen
        if seen is not None:
            break
    else:
        pytest.fail(f"the session never answered again; got {term.seen[-500:]!r}")
    term.line("w * 3")
    out += term.read_until("\n21\n")
    assert "Traceback" not in out


def test_ctrl_c_right_after_each_continuation_prompt(term):
    term.answer("v := 3")
    for i in range(15):
        term.line(f"u := #(1, {i},")
        term.read_until("..> ")
        term.ctrl_c()
        assert "Traceback" not in term.read_until("bt> ")
    assert term.answer("v").strip() == "3"
    assert term.answer("u").strip() == "ERROR: compile_error: undefined variable 'u'"


def test_ctrl_c_at_a_continuation_prompt_drops_the_pending_input(term):
    term.answer("y := 5")
    term.line("z := #(1,")
    term.read_until("..> ")
    term.ctrl_c()  # at once: no waiting for the REPL to sleep in select()
    term.read_until("bt> ")
    assert term.answer("y").strip() == "5"
    assert term.answer("z").strip() == "ERROR: compile_error: undefined variable 'z'"


def test_ctrl_c_at_an_empty_prompt_keeps_the_session(term):
    term.answer("w := 7")
    term.ctrl_c()  # at once: no waiting for the REPL to sleep in select()
    term.read_until("bt> ")
    assert term.answer("w * 2").strip() == "14"


def test_load_errors_are_one_line(term, tmp_path):
    bad = tmp_path / "bad.bt"
    bad.write_bytes(b"x := 'caf\xe9'\n")
    out = term.answer(f":load {bad}").strip()
    assert out == f"ERROR: io_error: {bad}: not valid UTF-8 (byte 9)"
    out = term.answer(":load /no/such/file.bt").strip()
    assert out.startswith("ERROR: file_not_found: /no/such/file.bt")
    assert "\n" not in out
    assert term.answer(":load").strip() == "ERROR: :load needs a file name: :load FILE"
    good = tmp_path / "good.bt"
    good.write_text("q := 6 * 7\n", encoding="utf-8")
    assert term.answer(f":load {good}").strip() == "42"


def test_unknown_command(term):
    assert term.answer(":bogus").strip() == "unknown command :bogus, :help lists them"


def test_an_empty_line_ends_an_unterminated_string(term):
    term.line("s := 'abc")
    term.read_until("..> ")
    out = term.answer("")
    assert out.strip().startswith("ERROR: syntax_error")
    assert term.answer("1 + 1").strip() == "2"


def test_two_empty_lines_end_an_open_bracket(term):
    term.line("t := #(1,")
    term.read_until("..> ")
    term.line("")
    term.read_until("..> ")
    assert term.answer("").strip().startswith("ERROR: syntax_error")


def test_inspect_prints_lines(term):
    term.answer("Object subclass: P\n  state: x = 1\n")
    out = term.answer("P new inspect")
    assert out.strip().splitlines() == ["a P(x: 1)", "  x: 1", "  methods: #()"]
