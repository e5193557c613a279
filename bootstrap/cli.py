"""The `beamtalk` command line (the forms are an interface: see ARCHITECTURE.md)."""

from __future__ import annotations

import argparse
import sys

from .source_files import SourceUnreadable, read_source

BACKENDS = ("interp", "beam")


def cmd_parse(args: argparse.Namespace) -> int:
    """Print the AST of one file."""
    if args.compiler == "bt":
        # lazy: each command loads only the layers it uses (start-up time)
        from beamtalk.bootstrap.compiler_bt import cmd_parse_bt

        return cmd_parse_bt(args.file, args.format, read_source)
    # lazy: each command loads only the layers it uses (start-up time)
    from beamtalk.interp.session import run_with_big_stack
    from beamtalk.interp.syntax import DiagnosticError, parse_module
    from beamtalk.interp.syntax.astdump import to_json, to_sexp

    source = read_source(args.file)

    def go() -> int:  # on a big stack, like check and run: the same input must parse there
        try:
            module = parse_module(source, args.file)
        except DiagnosticError as err:
            print(err.render(), file=sys.stderr)
            return 1
        if args.format == "resolved":
            return print_resolved(module, source, args.file)
        print(to_json(module) if args.format == "json" else to_sexp(module))
        return 0

    return run_with_big_stack(go)


def print_resolved(module: object, source: str, path: str) -> int:
    """The AST with the resolver's table (docs/syntax-trees.md); compile errors exit 1.

    Called from cmd_parse, already on the big stack.
    """
    # lazy: each command loads only the layers it uses (start-up time)
    from beamtalk.interp.analysis.resolved_form import resolved_sexp
    from beamtalk.interp.analysis.source_file import resolve_file

    resolved = resolve_file(module, path)  # type: ignore[arg-type]
    if resolved.diagnostics:
        for diag in resolved.diagnostics:
            print(diag.render(source), file=sys.stderr)
        return 1
    for stmt in module.body:  # one line per top-level statement, for line diffs
        print(resolved_sexp(stmt, resolved.resolution))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """Report the diagnostics of each file; exit 1 if any has errors."""
    failed = False
    for path in args.files:
        try:
            source = read_source(path)
        except SourceUnreadable as exc:
            print(f"{exc}", file=sys.stderr)
            failed = True
            continue
        diagnostics = run_checks(source, path)
        for diag in diagnostics:
            print(diag.render(source))
        failed = failed or any(d.severity == "error" for d in diagnostics)
    return 1 if failed else 0


def run_checks(source: str, path: str) -> list:
    """Every diagnostic of one file (on a big stack: compiling may recurse deeply)."""
    # lazy: each command loads only the layers it uses (start-up time)
    from beamtalk.interp.analysis.check import check_source
    from beamtalk.interp.session import run_with_big_stack

    return run_with_big_stack(lambda: check_source(source, path))


def node_usage_error(command: str, args: argparse.Namespace) -> int | None:
    """`--node` is for the BEAM backend and takes a node name: exit 2 (usage) otherwise."""
    if args.node is None:
        return None
    if args.backend != "beam":
        print(f"beamtalk {command}: --node needs --backend beam (the interpreter is always the "
              "single node nonode@nohost)", file=sys.stderr)
        return 2
    # lazy: each command loads only the layers it uses (start-up time)
    from beamtalk.bootstrap.beam_node import BadNodeName, full_node_name

    try:
        full_node_name(args.node)
    except BadNodeName as exc:
        print(f"beamtalk {command}: --node: {exc}", file=sys.stderr)
        return 2
    return None


def cmd_run(args: argparse.Namespace) -> int:
    """Run a script statement by statement; the first uncaught error ends it (exit 1)."""
    usage = node_usage_error("run", args)
    if usage is not None:
        return usage
    if args.backend == "beam":
        # lazy: each command loads only the layers it uses (start-up time)
        from beamtalk.bootstrap.beam_session import run_file

        return run_file(args.file, read_source(args.file), args.args, args.node)
    # lazy: each command loads only the layers it uses (start-up time)
    from beamtalk.interp.analysis.warnings import dropped_results
    from beamtalk.interp.session import Session, run_with_big_stack
    from beamtalk.interp.syntax import DiagnosticError, parse_module

    source = read_source(args.file)

    def go() -> int:
        session = Session(arguments=args.args)
        try:
            module = parse_module(source, args.file)
        except DiagnosticError as err:
            print(err.render(), file=sys.stderr)
            return 1
        if args.dump_python:
            # lazy: each command loads only the layers it uses (start-up time)
            from beamtalk.interp.eval.pydump import dump_python

            text, error = dump_python(session, module, args.file)
            print(text, end="")
            if error is not None:
                sys.stdout.flush()
                print(error, file=sys.stderr)
                return 1
            return 0
        for warning in dropped_results(module, args.file):
            print(warning.render(source), file=sys.stderr)
        for stmt in module.body:
            outcome = session.execute(stmt, args.file)
            if outcome.failed:
                sys.stdout.flush()
                print(f"{args.file}:{outcome.line}: {outcome.error_line()}", file=sys.stderr)
                return 1
        session.finish()
        sys.stdout.flush()
        return 0

    return run_with_big_stack(go)


def cmd_repl(args: argparse.Namespace) -> int:
    """The interactive session."""
    usage = node_usage_error("repl", args)
    if usage is not None:
        return usage
    if args.backend == "beam":
        # lazy: each command loads only the layers it uses (start-up time)
        from beamtalk.bootstrap.beam_repl import BeamRepl
        from beamtalk.bootstrap.erlang import ErlangUnavailable

        try:
            repl = BeamRepl(node_name=args.node)
        except ErlangUnavailable as exc:
            print(f"beamtalk repl: {exc}", file=sys.stderr)
            return 2
        return repl.run()
    # lazy: each command loads only the layers it uses (start-up time)
    from beamtalk.interp.repl import Repl

    return Repl().run()


def cmd_conform(args: argparse.Namespace) -> int:
    """Run transcript conformance cases."""
    # lazy: each command loads only the layers it uses (start-up time)
    from beamtalk.bootstrap.conform import conform

    return conform(args.paths, args.backend, args.verbose)


def cmd_test(args: argparse.Namespace) -> int:
    """Run the TestCase classes of the given files."""
    if args.backend == "beam":
        # lazy: each command loads only the layers it uses (start-up time)
        from beamtalk.bootstrap.beam_tests import run_beam_tests

        return run_beam_tests(args.paths)
    # lazy: each command loads only the layers it uses (start-up time)
    from beamtalk.bootstrap.testrunner import run_tests

    return run_tests(args.paths)


def cmd_build(args: argparse.Namespace) -> int:
    """Compile files with compiler_bt to one .beam per class, method and statement: the native
    compiler inside a node when `beamtalk bootstrap` has built it, else stage 0."""
    # lazy: each command loads only the layers it uses (start-up time)
    from beamtalk.bootstrap import native_compiler
    from beamtalk.bootstrap.erlang import ErlangUnavailable
    from beamtalk.bootstrap.stage0 import build

    for path in args.files:
        read_source(path)  # an unreadable file is reported before any node starts
    try:
        native = native_compiler.current()
    except ErlangUnavailable as exc:
        print(f"beamtalk build: {exc}", file=sys.stderr)
        return 2
    try:
        return build(args.files, args.out, read_source, native)
    finally:
        if native is not None:
            native.close()


def cmd_bootstrap(args: argparse.Namespace) -> int:
    """Stage 0 -> 1 -> 2 -> 3 of the native compiler and the fixpoint check."""
    # lazy: each command loads only the layers it uses (start-up time)
    from beamtalk.bootstrap.stages import run_bootstrap

    return run_bootstrap(args.check)


def build_argparser() -> argparse.ArgumentParser:
    """The argument grammar of every subcommand."""
    top = argparse.ArgumentParser(prog="beamtalk", description="The Beamtalk language tools.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="run a script")
    run.add_argument("--backend", choices=BACKENDS, default="interp")
    run.add_argument("--node", metavar="NAME",
                     help="(beam) start a distributed node of that name, on loopback only")
    run.add_argument("--dump-python", action="store_true",
                     help="print the Python generated for the file's methods; run nothing else")
    run.add_argument("file")
    run.add_argument("args", nargs=argparse.REMAINDER)
    run.set_defaults(func=cmd_run)

    repl = sub.add_parser("repl", help="interactive session")
    repl.add_argument("--backend", choices=BACKENDS, default="interp")
    repl.add_argument("--node", metavar="NAME",
                      help="(beam) start a distributed node of that name, on loopback only")
    repl.set_defaults(func=cmd_repl)

    check = sub.add_parser("check", help="report diagnostics")
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(func=cmd_check)

    parse = sub.add_parser("parse", help="print the AST")
    parse.add_argument("file")
    parse.add_argument("--format", choices=("sexp", "json", "resolved"), default="sexp")
    parse.add_argument("--compiler", choices=("py", "bt"), default="py",
                       help="the front end: the Python one, or compiler_bt on the interpreter")
    parse.set_defaults(func=cmd_parse)

    conform = sub.add_parser("conform", help="run transcript conformance cases")
    conform.add_argument("paths", nargs="+", metavar="PATH")
    conform.add_argument("--backend", choices=BACKENDS + ("both",), default="interp")
    conform.add_argument("-v", "--verbose", action="store_true")
    conform.set_defaults(func=cmd_conform)

    build = sub.add_parser("build", help="compile to .beam files")
    build.add_argument("files", nargs="+", metavar="FILE")
    build.add_argument("-o", dest="out", required=True, metavar="DIR")
    build.set_defaults(func=cmd_build)

    boot = sub.add_parser("bootstrap", help="stage 0 -> 1 -> 2 -> 3 and the fixpoint check")
    boot.add_argument("--check", action="store_true")
    boot.set_defaults(func=cmd_bootstrap)

    test = sub.add_parser("test", help="run TestCase classes")
    test.add_argument("--backend", choices=BACKENDS, default="interp")
    test.add_argument("paths", nargs="+", metavar="PATH")
    test.set_defaults(func=cmd_test)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `beamtalk` console script."""
    args = build_argparser().parse_args(argv)
    try:
        return args.func(args)
    except SourceUnreadable as exc:
        print(f"beamtalk: {exc}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
