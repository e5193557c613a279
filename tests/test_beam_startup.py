"""Starting the BEAM backend: nodes boot from a saved registry image (beamtalk_image), the OTP
release is read without starting a VM, and every node a command starts is stopped when it
ends (normally, on an error, on Ctrl-C)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from test_beam_node import MAKE_POINT, POINT, SUM

from beamtalk.bootstrap import beam_node, erlang, native_compiler

HAVE_ERLANG = shutil.which("erl") is not None and shutil.which("erlc") is not None
needs_erlang = pytest.mark.skipif(not HAVE_ERLANG, reason="needs Erlang/OTP (erl and erlc)")


def fake_installation(root: Path, data: str, erts: str | None) -> Path:
    """An OTP layout with `bin/erl`, `releases/start_erl.data` and maybe an erts folder."""
    (root / "bin").mkdir(parents=True)
    (root / "bin" / "erl").write_text("#!/bin/sh\n", encoding="ascii")
    (root / "releases").mkdir()
    (root / "releases" / "start_erl.data").write_text(data, encoding="ascii")
    if erts is not None:
        (root / f"erts-{erts}").mkdir()
    return root / "bin" / "erl"


def test_installed_release_is_read_from_start_erl_data(tmp_path):
    erl = fake_installation(tmp_path / "otp", "14.2.1 26\n", "14.2.1")
    assert erlang.installed_release(str(erl)) == "26"


@pytest.mark.parametrize("data, erts", [("14.2.1 26\n", None),  # no such erts: not this layout
                                        ("garbage\n", "14.2.1"),
                                        ("14.2.1 R16B\n", "14.2.1")])
def test_an_unknown_layout_gives_no_release(tmp_path, data, erts):
    erl = fake_installation(tmp_path / "otp", data, erts)
    assert erlang.installed_release(str(erl)) is None


def test_a_wrapper_script_gives_no_release(tmp_path):
    erl = tmp_path / "erl"
    erl.write_text("#!/bin/sh\n", encoding="ascii")
    assert erlang.installed_release(str(erl)) is None


@needs_erlang
def test_the_installed_release_is_the_one_erl_reports():
    erl = shutil.which("erl")
    assert erl is not None
    found = erlang.installed_release(erl)
    if found is None:
        pytest.skip("erl is not laid out as an OTP installation (a wrapper)")
    assert found == erlang.started_release(erl)


# ---------------------------------------------------------------- the image


def point_build(folder: Path) -> Path:
    """A batch build holding one class module, bt@Point."""
    folder.mkdir()
    source = folder / "bt@Point.core"
    source.write_text(POINT, encoding="utf-8")
    subprocess.run([erlang.find_tools().erlc, "-o", str(folder), str(source)], check=True)
    source.unlink()
    return folder


def boot(folder: Path, image: Path) -> tuple[beam_node.BeamNode, beam_node.Reply]:
    """A node with `folder` on its code path, booted through `image`."""
    node = beam_node.BeamNode(code_paths=[folder])
    node.send_boot(image, "", ["bt@Point"])
    return node, node.answer()


@needs_erlang
def test_the_first_node_saves_the_image_and_the_next_restores_it(tmp_path):
    folder = point_build(tmp_path / "beam")
    image = tmp_path / "images" / "point.image"
    first, reply = boot(folder, image)
    with first:
        assert (reply.ok, reply.value) == (True, "Point")  # registered: the class's printString
        assert first.eval(MAKE_POINT).value == "a Point(x: 0, y: 2)"
    assert image.is_file()
    dispatch = sorted(p.name for p in image.with_name("point.image.dispatch").iterdir())
    assert "bt@sel@sum.beam" in dispatch
    second, reply = boot(folder, image)
    with second:
        assert (reply.ok, reply.value) == (True, "restored")
        # the restored registry answers as the registered one: the class, its method, a
        # default, and the dispatch module of `sum` loaded from the image's folder
        assert second.eval(MAKE_POINT).value == "a Point(x: 0, y: 2)"
        assert second.eval(SUM).value == "2"
        second.mark_base()
        second.reset()
        assert second.eval(MAKE_POINT).value == "a Point(x: 0, y: 2)"


@needs_erlang
def test_an_image_of_other_modules_or_a_broken_file_is_not_restored(tmp_path):
    folder = point_build(tmp_path / "beam")
    image = tmp_path / "point.image"
    image.write_bytes(b"not a term")
    node, reply = boot(folder, image)
    with node:
        assert (reply.ok, reply.value) == (True, "Point")  # registered instead, and saved
    other = beam_node.BeamNode(code_paths=[folder])
    with other:
        other.send_boot(image, "", [])  # another module list than the image's
        assert other.answer().value != "restored"


@needs_erlang
def test_an_image_that_cannot_be_written_only_costs_time(tmp_path):
    folder = point_build(tmp_path / "beam")
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    node, reply = boot(folder, blocker / "point.image")  # no folder can be made in a file
    with node:
        assert (reply.ok, reply.value) == (True, "Point")
        assert node.eval(MAKE_POINT).value == "a Point(x: 0, y: 2)"


# ---------------------------------------------------------------- no node left behind


def marked_nodes(mark: str) -> list[int]:
    """The beam.smp processes whose environment holds `mark` (a command's nodes inherit the
    environment of the command that started them)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text(encoding="ascii").strip() != "beam.smp":
                continue
            if mark.encode() in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:  # ended meanwhile, or not ours
            continue
    return sorted(found)


def wait_for_no_nodes(mark: str) -> list[int]:
    """The marked nodes still running after they have had time to stop (polls: a bound on a
    hang, not a speed check)."""
    for _ in range(60):
        left = marked_nodes(mark)
        if not left:
            return []
        time.sleep(0.5)
    return marked_nodes(mark)


def beamtalk(args: list[str], mark: str, **kwargs) -> subprocess.Popen:
    """The command line in a process of its own, its environment marked."""
    env = {**os.environ, "BEAMTALK_TEST_MARK": mark}
    return subprocess.Popen([sys.executable, "-m", "beamtalk.bootstrap.cli", *args], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kwargs)


def kill_marked(mark: str) -> None:
    for pid in marked_nodes(mark):
        os.kill(pid, signal.SIGKILL)


@needs_erlang
@pytest.mark.slow
@pytest.mark.parametrize("source, status", [("3 printString\n", 0),
                                            ("1 / 0\n", 1),
                                            ("x := (\n", 1),
                                            ("System exit: 3\n", 3)])
def test_a_run_leaves_no_node_behind(tmp_path, source, status):
    mark = f"BEAMTALK_TEST_MARK={uuid.uuid4().hex}"
    script = tmp_path / "s.bt"
    script.write_text(source, encoding="utf-8")
    try:
        cli = beamtalk(["run", "--backend", "beam", str(script)], mark.split("=")[1])
        out, err = cli.communicate(timeout=600)
        assert cli.returncode == status, out + err
        assert wait_for_no_nodes(mark) == []
    finally:
        kill_marked(mark)


@needs_erlang
@pytest.mark.slow
def test_ctrl_c_during_a_run_stops_its_nodes(tmp_path):
    mark = f"BEAMTALK_TEST_MARK={uuid.uuid4().hex}"
    script = tmp_path / "endless.bt"
    script.write_text("Transcript showCr: 'started'\n[true] whileTrue: [nil]\n",
                      encoding="utf-8")
    try:
        cli = beamtalk(["run", "--backend", "beam", str(script)], mark.split("=")[1])
        assert cli.stdout is not None
        assert cli.stdout.readline() == "started\n"  # the endless statement runs
        assert marked_nodes(mark)  # the check sees the command's nodes while they run
        cli.send_signal(signal.SIGINT)
        cli.communicate(timeout=600)
        assert cli.returncode == 130
        assert wait_for_no_nodes(mark) == []
    finally:
        kill_marked(mark)


@needs_erlang
@pytest.mark.slow
def test_the_repl_leaves_no_node_behind(tmp_path):
    mark = f"BEAMTALK_TEST_MARK={uuid.uuid4().hex}"
    env = {**os.environ, "BEAMTALK_TEST_MARK": mark.split("=")[1]}
    try:
        done = subprocess.run([sys.executable, "-m", "beamtalk.bootstrap.cli", "repl",
                               "--backend", "beam"], input="1 + 2\n", env=env,
                              capture_output=True, text=True, timeout=600)
        assert "3" in done.stdout.split(), done.stdout + done.stderr
        assert wait_for_no_nodes(mark) == []
    finally:
        kill_marked(mark)


@needs_erlang
def test_start_with_program_needs_the_bootstrap_or_answers_two_nodes():
    started = native_compiler.start_with_program()
    if started is None:
        pytest.skip("`beamtalk bootstrap` has not built the native compiler")
    compiler, program = started
    try:
        assert compiler.node.running and program.running
        assert compiler.node.pid != program.pid
    finally:
        beam_node.close_all([compiler.node, program])
    assert not compiler.node.running and not program.running
