"""How threads sleep until woken (interp/runtime/wakers.py): a wake is never lost."""

from __future__ import annotations

import threading

import pytest

from beamtalk.interp.runtime.wakers import LockWaker, Waker, thread_waker


@pytest.mark.parametrize("kind", [Waker, LockWaker])
def test_a_wake_before_the_sleep_makes_it_return_at_once(kind):
    waker = kind()
    waker.wake()
    waker.wake()  # two wakes before a sleep: it returns at once all the same
    assert waker.sleep(60) is True


@pytest.mark.parametrize("kind", [Waker, LockWaker])
def test_a_sleep_nobody_ends_times_out(kind):
    assert kind().sleep(0.01) is False


@pytest.mark.parametrize("kind", [Waker, LockWaker])
def test_another_thread_wakes_a_sleeper(kind):
    waker = kind()
    woken = []
    sleeper = threading.Thread(target=lambda: woken.append(waker.sleep(60)))
    sleeper.start()
    waker.wake()
    sleeper.join()
    assert woken == [True]


def test_each_thread_has_its_own_waker():
    mine = thread_waker()
    theirs = []
    other = threading.Thread(target=lambda: theirs.append(thread_waker()))
    other.start()
    other.join()
    assert thread_waker() is mine and theirs[0] is not mine


def test_a_forked_child_makes_its_own_waker():
    import os

    parent = thread_waker()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: report whether it got a waker of its own, then leave
        os.write(write, b"1" if thread_waker() is not parent else b"0")
        os._exit(0)
    os.close(write)
    answer = os.read(read, 1)
    os.close(read)
    os.waitpid(pid, 0)
    assert answer == b"1"
