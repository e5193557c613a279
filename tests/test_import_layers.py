"""Import direction: syntax <- analysis <- runtime <- eval/session <- CLI, and no cycles.

Every module of interp/ and bootstrap/ is parsed (ast) and each import, at the top or inside
a function, is resolved to the module it names. A module may import only from its own layer
or lower ones, and the modules must form no cycle. Imports under `if TYPE_CHECKING:` take
part in the direction check but not in the cycle check (they never run). An import inside a
function is allowed only for start-up time, and says so with a comment containing `lazy`
on its line or above it in its run of import lines.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"interp": "beamtalk.interp", "bootstrap": "beamtalk.bootstrap"}

# Layer of each top-level part, lowest first; a module may import from its layer or below.
LAYERS = {
    "beamtalk.interp.syntax": 0,
    "beamtalk.interp.analysis": 1,
    "beamtalk.interp.runtime": 2,
    "beamtalk.interp.eval": 3,
    "beamtalk.interp.session": 3,
    "beamtalk.interp.outcome": 3,
    "beamtalk.interp.repl": 3,
    "beamtalk.interp.ctrl_c": 3,
    "beamtalk.interp.display_lines": 3,
    "beamtalk.bootstrap": 4,
}
LAYER_NAMES = {0: "syntax", 1: "analysis", 2: "runtime", 3: "eval/session", 4: "CLI"}


@dataclass(frozen=True)
class ImportSite:
    """One import of one module by another, with where it is written."""

    importer: str
    target: str
    path: Path
    line: int
    in_function: bool
    type_only: bool
    lazy_comment: bool

    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


def module_files() -> dict[str, Path]:
    """Every module of interp/ and bootstrap/, by dotted name."""
    found: dict[str, Path] = {}
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            parts = list(path.relative_to(ROOT / folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join([package, *parts])] = path
    return found


def layer_of(module: str) -> int | None:
    """The layer of a module (None: the package roots, which hold no code that imports)."""
    best = None
    for prefix, layer in LAYERS.items():
        if module == prefix or module.startswith(prefix + "."):
            best = layer
    return best


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of import nodes inside `if TYPE_CHECKING:` blocks."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                for sub in ast.walk(inner):
                    if isinstance(sub, (ast.Import, ast.ImportFrom)):
                        out.add(id(sub))
    return out


def _function_nodes(tree: ast.AST) -> set[int]:
    """ids of import nodes written inside a function body."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Import, ast.ImportFrom)):
                    out.add(id(sub))
    return out


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom,
             known: dict[str, Path]) -> list[str]:
    """The project modules an import statement names (outside ones are dropped)."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    else:
        if node.level:
            base = module.split(".") if is_package else module.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            full = ".".join(base + ([node.module] if node.module else []))
        else:
            full = node.module or ""
        # `from pkg import submodule` names the submodule; `from mod import name` the module.
        names = [f"{full}.{alias.name}" if f"{full}.{alias.name}" in known else full
                 for alias in node.names]
    out = []
    for name in names:
        while name and name not in known:
            name = name.rpartition(".")[0]
        if name and name != module:
            out.append(name)
    return out


def _says_lazy(lines: list[str], lineno: int) -> bool:
    """Does a comment on this import, or above it in its run of imports, say `lazy`?"""
    index = lineno - 1
    while index >= 0:
        text = lines[index].strip()
        if "#" in text and "lazy" in text.split("#", 1)[1].lower():
            return True
        if index != lineno - 1 and not text.startswith(("from ", "import ", "#")):
            return False
        index -= 1
    return False


def import_sites() -> list[ImportSite]:
    """Every import between project modules."""
    known = module_files()
    sites: list[ImportSite] = []
    for module, path in sorted(known.items()):
        source = path.read_text(encoding="utf-8")
        lines = source.splitlines()
        tree = ast.parse(source, str(path))
        type_only = _type_checking_nodes(tree)
        in_function = _function_nodes(tree)
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            lazy = _says_lazy(lines, node.lineno)
            for target in _targets(module, path.name == "__init__.py", node, known):
                sites.append(ImportSite(module, target, path, node.lineno,
                                        id(node) in in_function, id(node) in type_only, lazy))
    return sorted(sites, key=lambda s: (s.importer, s.line, s.target))


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """Some cycle of the graph as a closed path [a, b, ..., a], or None (iterative DFS)."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    for start in sorted(edges):
        if start in state:
            continue
        path = [start]
        iters = [iter(sorted(edges.get(start, ())))]
        state[start] = 1
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                iters.pop()
            elif state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            elif nxt not in state:
                state[nxt] = 1
                path.append(nxt)
                iters.append(iter(sorted(edges.get(nxt, ()))))
    return None


def test_every_module_is_in_a_layer():
    missing = [m for m in module_files() if layer_of(m) is None
               and m not in ("beamtalk.interp",)]
    assert not missing, f"modules outside every layer (add them to LAYERS): {missing}"


def test_imports_follow_the_layer_direction():
    wrong = []
    for site in import_sites():
        low, high = layer_of(site.importer), layer_of(site.target)
        if low is not None and high is not None and high > low:
            wrong.append(f"{site.where()}: {site.importer} ({LAYER_NAMES[low]}) imports "
                         f"{site.target} ({LAYER_NAMES[high]})")
    assert not wrong, "imports against syntax <- analysis <- runtime <- eval/session <- CLI:\n" \
        + "\n".join(wrong)


def test_no_import_cycle():
    edges: dict[str, set[str]] = {}
    where: dict[tuple[str, str], str] = {}
    for site in import_sites():
        if site.type_only:
            continue
        edges.setdefault(site.importer, set()).add(site.target)
        where.setdefault((site.importer, site.target), site.where())
    cycle = find_cycle(edges)
    assert cycle is None, "import cycle:\n" + "\n".join(
        f"{where[(a, b)]}: {a} imports {b}" for a, b in zip(cycle, cycle[1:]))


def test_function_level_imports_are_lazy_on_purpose():
    hidden = [f"{site.where()}: {site.importer} imports {site.target} inside a function"
              for site in import_sites()
              if site.in_function and not site.type_only and not site.lazy_comment]
    assert not hidden, ("imports inside functions (move them to the top, or say in a comment "
                        "why they are lazy):\n" + "\n".join(hidden))


def test_the_checker_reads_lazy_comments():
    lines = ["def f():", "    # lazy: start-up time", "    import a", "    import b", "    x = 1",
             "    import c"]
    assert _says_lazy(lines, 3) and _says_lazy(lines, 4)
    assert not _says_lazy(lines, 6)


def test_the_checker_finds_a_cycle_and_names_it():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_checker_resolves_relative_and_package_imports():
    known = {"beamtalk.interp.runtime": Path("x"), "beamtalk.interp.runtime.objects": Path("y"),
             "beamtalk.interp.runtime.primitives": Path("z"),
             "beamtalk.interp.runtime.primitives.obj": Path("w")}
    rel = ast.parse("from ..objects import Instance").body[0]
    assert _targets("beamtalk.interp.runtime.primitives.obj", False, rel, known) == [
        "beamtalk.interp.runtime.objects"]
    pkg = ast.parse("from . import obj").body[0]
    assert _targets("beamtalk.interp.runtime.primitives", True, pkg, known) == [
        "beamtalk.interp.runtime.primitives.obj"]
    absolute = ast.parse("from beamtalk.interp.runtime.objects import Instance").body[0]
    assert _targets("beamtalk.interp.runtime", True, absolute, known) == [
        "beamtalk.interp.runtime.objects"]


def test_no_two_modules_or_classes_share_a_name():
    """A module name or a top-level class name means one thing across interp/ and bootstrap/."""
    modules: dict[str, list[str]] = {}
    classes: dict[str, list[str]] = {}
    for module, path in sorted(module_files().items()):
        if path.name != "__init__.py":
            modules.setdefault(path.stem, []).append(module)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, []).append(module)
    same = {name: found for name, found in {**modules, **classes}.items() if len(found) > 1}
    assert not same, f"names defined more than once: {same}"
