"""The `beamtalk` command line: parse, check, and the stubs of later subcommands."""

from __future__ import annotations

import json
import subprocess
import sys

from beamtalk.bootstrap.cli import main


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_parse_sexp(tmp_path, capsys):
    path = write(tmp_path, "a.bt", "x := 3 + 4\n")
    assert main(["parse", path]) == 0
    out = capsys.readouterr().out
    expected = '(Module [(Assign (Name "x") (Send (IntegerLit 3) "+" [(IntegerLit 4)]))])'
    assert out.strip() == expected


def test_parse_resolved_one_line_per_statement(tmp_path, capsys):
    path = write(tmp_path, "a.bt", "x := 1\ny := [x]\n")
    assert main(["parse", path, "--format", "resolved"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        '(Assign (Name "x" (ref toplevel nil true)) (IntegerLit 1))',
        '(Assign (Name "y" (ref toplevel nil true)) (Block [] [] [(Name "x" '
        '(ref captured 1 false))] (block stored false false ["x"])))']


def test_parse_resolved_reports_compile_errors(tmp_path, capsys):
    path = write(tmp_path, "a.bt", "x := 1\ny := z\n")
    assert main(["parse", path, "--format", "resolved"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "a.bt:2:6: error: undefined variable 'z'" in captured.err


def test_parse_json_has_spans(tmp_path, capsys):
    path = write(tmp_path, "a.bt", "x foo\n")
    assert main(["parse", path, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    send = data["body"][0]
    assert send["node"] == "Send" and send["selector"] == "foo"
    assert send["span"] == [1, 1, 1, 6]


def test_check_clean_file(tmp_path, capsys):
    path = write(tmp_path, "ok.bt", "Object subclass: Point\n  state: x = 0\n  x => self.x\n")
    assert main(["check", path]) == 0
    assert capsys.readouterr().out == ""


def test_check_reports_every_error_with_caret_and_hint(tmp_path, capsys):
    path = write(tmp_path, "bad.bt", "a := #(1 2)\nb := 1\nc := -x\n")
    assert main(["check", path]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}:1:10: error: unexpected `2`"
    assert out[1] == "1 | a := #(1 2)"
    assert out[2] == "             ^"
    assert out[3] == "hint: separate elements with commas"
    assert f"{path}:3:6: error: unexpected operator `-`" in out
    assert "hint: use `x negated`" in out


def test_check_several_files_exit_code(tmp_path, capsys):
    good = write(tmp_path, "g.bt", "1 + 2\n")
    bad = write(tmp_path, "b.bt", "1 +\n")
    assert main(["check", good, bad]) == 1
    assert "b.bt:1:4: error: unexpected end of input" in capsys.readouterr().out


def test_missing_file_is_a_message_not_a_traceback(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "nope.bt")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_invalid_utf8(tmp_path, capsys):
    path = tmp_path / "bin.bt"
    path.write_bytes(b"x := '\xff'\n")
    assert main(["check", str(path)]) == 1
    assert "not valid UTF-8" in capsys.readouterr().err


def test_build_of_a_missing_file_is_a_clean_error(tmp_path, capsys):
    # `build` itself is tested in test_coregen.py (it needs compiler_bt and erl).
    assert main(["build", str(tmp_path / "x.bt"), "-o", str(tmp_path / "out")]) == 2
    assert "x.bt: no such file" in capsys.readouterr().err


def test_console_script_entry_point(tmp_path):
    path = write(tmp_path, "a.bt", "1\n")
    done = subprocess.run([sys.executable, "-m", "beamtalk.bootstrap.cli", "check", path],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_run_prints_transcript_and_reports_the_first_error(tmp_path, capfd):
    path = write(tmp_path, "s.bt", "Transcript show: 'hi'; cr\nx := 1 / 0\nTranscript show: 'no'\n")
    assert main(["run", path]) == 1
    out, err = capfd.readouterr()
    assert out == "hi\n"
    assert err.strip() == f"{path}:2: ERROR: zero_divide: Division by zero"


def test_run_a_clean_script(tmp_path, capfd):
    path = write(tmp_path, "s.bt", "Transcript show: 3 + 4; cr\n")
    assert main(["run", path]) == 0
    assert capfd.readouterr().out == "7\n"


def test_conform_counts_and_reports(tmp_path, capsys):
    text = "1 + 1\n// => 2\n1 + 1\n// => 3\n1 / 0\n// => ERROR: zero_divide\n"
    case = write(tmp_path, "c.bt", text)
    assert main(["conform", case]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{case}:4: expected 3, got 2 (interp)"
    assert out[-1] == "2 passed, 1 failed"
