"""interp/ctrl_c.py: a SIGINT that interrupts no system call still reaches the main thread.

The case readline loses: the signal's C handler runs while the main thread is not yet in
the select() it then sleeps in, so nothing wakes it.  Here the main thread blocks SIGINT, so
the kernel hands every press to another thread while the main thread sleeps in select() on
a pipe that never becomes readable; without the watcher it would sleep for ever.  Each run
is a fresh interpreter, since it installs signal handlers in its main thread.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

WAIT_S = 60  # only a hang reaches it (nothing here is timed)

SCRIPT = textwrap.dedent("""
    import os, select, signal, threading, time
    from pathlib import Path
    from beamtalk.interp.ctrl_c import CtrlC

    PRESSES = 20
    ctrl_c = CtrlC()
    ctrl_c.install()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # presses go to other threads
    main = threading.get_native_id()
    quiet, _ = os.pipe()

    def sleeping_in_select():
        wchan = Path(f"/proc/self/task/{main}/wchan").read_text()
        return "select" in wchan or "poll" in wchan

    def press():  # each press once the main thread sleeps in select()
        for _ in range(PRESSES):
            while not sleeping_in_select():
                time.sleep(0.001)
            os.kill(os.getpid(), signal.SIGINT)
            pressed.acquire()

    pressed = threading.Semaphore(0)
    threading.Thread(target=press, daemon=True).start()
    interrupts = 0
    for _ in range(PRESSES):
        ctrl_c.raising = True
        try:
            select.select([quiet], [], [])
        except KeyboardInterrupt:
            ctrl_c.unwinding = False  # what the REPL does when it catches one
            ctrl_c.caught()
            interrupts += 1
        pressed.release()
    # No press is left over: a last wait ends by its timeout, not by an interrupt.
    ctrl_c.raising = True
    try:
        select.select([quiet], [], [], 0.3)
        late = 0
    except KeyboardInterrupt:
        late = 1
    ctrl_c.uninstall()
    print(interrupts, ctrl_c.handled, late)
""")


def run(script: str) -> str:
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=WAIT_S)
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_every_press_interrupts_the_sleeping_main_thread_once():
    assert run(SCRIPT) == "20 20 0"


def test_a_press_outside_a_raising_region_waits_for_the_next_one():
    script = textwrap.dedent("""
        import os, signal, time
        from beamtalk.interp.ctrl_c import CtrlC
        ctrl_c = CtrlC()
        ctrl_c.install()
        os.kill(os.getpid(), signal.SIGINT)  # handled at once: not raising, so deferred
        while not ctrl_c.handled:
            time.sleep(0.001)
        deferred = ctrl_c.deferred
        try:
            ctrl_c.begin_raising()
            raised = False
        except KeyboardInterrupt:
            raised = True
        ctrl_c.uninstall()
        print(deferred, raised, ctrl_c.deferred, ctrl_c.raising)
    """)
    assert run(script) == "True True False False"


def test_an_action_runs_instead_of_raising():
    script = textwrap.dedent("""
        import os, signal, time
        from beamtalk.interp.ctrl_c import CtrlC
        ctrl_c = CtrlC()
        ctrl_c.install()
        calls = []
        ctrl_c.raising = True
        ctrl_c.action = lambda: calls.append(1)
        os.kill(os.getpid(), signal.SIGINT)
        while not ctrl_c.handled:
            time.sleep(0.001)
        ctrl_c.uninstall()
        print(len(calls), ctrl_c.raising)
    """)
    assert run(script) == "1 True"
