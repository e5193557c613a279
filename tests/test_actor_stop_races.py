"""`stop` racing with sends (LANGUAGE.md 3.2, issue 10): after `stop` no message is served.

An external `stop` ends the actor after the message it is running; the messages queued
behind that one are rejected with ActorDead, and so is every send made once `stop` has
begun.  These tests repeat stop-then-send across threads with a very short GIL switch
interval, so that threads interleave at many more points than they usually would; no
sleep is used to order anything.
"""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator

import pytest

from beamtalk.interp.runtime.control_flow import BeamtalkError
from beamtalk.interp.runtime.futures import Future, await_future
from beamtalk.interp.runtime.process import Process
from beamtalk.interp.runtime.values import Symbol
from beamtalk.interp.session import Session

pytestmark = pytest.mark.usefixtures("close_runtimes")  # tests/conftest.py

SOURCE = """Actor subclass: Echo
  ping => #pong
  spin: n => 1 to: n do: [:i | nil]. #spun
  untilStopped => [self isAlive] whileTrue: [nil]. #stopped
"""


@pytest.fixture
def session() -> Iterator[Session]:
    """A session that knows Echo, with threads switching as often as CPython allows."""
    session = Session(out=io.StringIO(), err=io.StringIO())
    outcomes = session.run_source(SOURCE, "races.bt")
    assert not any(o.failed for o in outcomes)
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield session
    finally:
        sys.setswitchinterval(old)


def outcome(session: Session, fut: Future) -> str:
    """The future's value printed, or the class name of its error (a deadline of 5 s)."""
    try:
        return session.print_string(await_future(session.rt, fut, 5000))
    except BeamtalkError as err:
        return err.exc.cls.name


def spawn(session: Session):
    """A new Echo actor's reference."""
    return session.run_source("Echo spawn", "races.bt")[-1].value


def test_a_stopping_actor_takes_no_queued_message_and_ending_rejects_it(session):
    # A stop has begun (status `stopping`) while a message waits, not yet started: the
    # worker that looks for the next message must not serve it.
    actor = spawn(session).actor
    sender = Process("sender")
    fut = Future(sender, actor)
    actor.enqueue(("ping", (), fut), sender)  # queued; started at the sender's next wait
    with actor.lock:
        actor.status = "stopping"
    assert actor.take() is None
    assert not actor.running and not actor.busy
    actor.end("normal")
    assert fut.state == "rejected" and fut.error.cls.name == "ActorDead"


def test_a_send_to_an_actor_that_is_stopping_is_rejected_at_once(session):
    actor = spawn(session).actor
    with actor.lock:
        actor.status = "stopping"
    fut = session.rt.send(actor.ref, "ping")
    assert fut.state == "rejected" and fut.error.cls.name == "ActorDead"
    assert not actor.mailbox


def test_a_message_that_reaches_the_mailbox_after_the_end_is_rejected_not_stranded(session):
    # A sender that saw the actor alive just before another thread ended it: the mailbox
    # itself refuses the message, so its future settles instead of waiting for a reply
    # that never comes.
    actor = spawn(session).actor
    actor.end("normal")
    sender = Process("sender")
    fut = Future(sender, actor)
    actor.enqueue(("ping", (), fut), sender)
    assert fut.state == "rejected" and fut.error.cls.name == "ActorDead"
    assert not actor.mailbox and not sender.starts


def test_sends_racing_a_stop_from_another_thread_all_settle(session):
    # One thread keeps sending `ping` and awaiting it while another stops the actor.
    # Every future settles, with #pong or ActorDead; none is left in the mailbox of the
    # ended actor (its await would time out); once `stop` has returned, every send is
    # rejected.
    rt = session.rt
    for trial in range(400):
        ref = spawn(session)
        results: list[tuple[bool, str]] = []
        stopped = threading.Event()

        def pinger(ref=ref, results=results, stopped=stopped, n=trial % 40) -> None:
            rt.send(ref, "spin:", n)
            while True:
                after = stopped.is_set()
                results.append((after, outcome(session, rt.send(ref, "ping"))))
                if after:
                    return

        def stopper(ref=ref, stopped=stopped) -> None:
            assert rt.send(ref, "stop") == Symbol("ok")
            stopped.set()

        threads = [threading.Thread(target=pinger), threading.Thread(target=stopper)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert {r for _, r in results} <= {"#pong", "ActorDead"}, (trial, results)
        assert all(r == "ActorDead" for after, r in results if after), (trial, results)


def test_messages_queued_behind_the_running_one_are_rejected_by_a_stop(session):
    # The running message ends because the stop has begun (`self isAlive` is false from
    # then on), so the pings were queued behind it when `stop` came: none may be served.
    rt = session.rt
    for trial in range(300):
        ref = spawn(session)
        running = rt.send(ref, "untilStopped")
        queued = [rt.send(ref, "ping") for _ in range(trial % 4 + 1)]
        rt.process.start_pending()
        stopper = threading.Thread(target=lambda ref=ref: rt.send(ref, "stop"))
        stopper.start()
        later = [rt.send(ref, "ping") for _ in range(3)]
        stopper.join()
        after = rt.send(ref, "ping")
        assert outcome(session, running) in ("#stopped", "ActorDead"), trial
        assert [outcome(session, f) for f in queued] == ["ActorDead"] * len(queued), trial
        assert {outcome(session, f) for f in later} <= {"ActorDead"}, trial
        assert outcome(session, after) == "ActorDead"
