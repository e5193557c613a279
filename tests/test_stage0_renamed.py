"""`stage0.renamed`: a batch-built statement module gets its file's name where the generator
writes the module's name (header, module_info) and nowhere else: a Symbol `#'bt@stmt'` in the
statement is program data and survives (the node's loader follows the same rule:
conformance/language/module_names_as_symbols.bt)."""

from __future__ import annotations

import pytest

from beamtalk.bootstrap import stage0

CORE = """module 'bt@stmt' ['run'/1,
'module_info'/0,'module_info'/1]
  attributes []
'run'/1 =
fun (Env) ->
let <V1_t> = call 'bt@sel@size':'send'('bt@stmt')
in {V1_t,Env}
'module_info'/0 = fun () -> call 'erlang':'get_module_info'('bt@stmt')
'module_info'/1 = fun (X) -> call 'erlang':'get_module_info'('bt@stmt', X)
end
"""


def test_header_and_module_info_renamed_the_symbol_kept():
    text = stage0.renamed(stage0.CoreUnit("statement", "", CORE), "bt@stmt@3")
    assert text.startswith("module 'bt@stmt@3' ['run'/1,")
    assert "call 'erlang':'get_module_info'('bt@stmt@3')" in text
    assert "call 'erlang':'get_module_info'('bt@stmt@3', X)" in text
    assert "call 'bt@sel@size':'send'('bt@stmt')" in text  # the Symbol
    assert text.count("'bt@stmt'") == 1


def test_class_units_are_not_renamed():
    unit = stage0.CoreUnit("class", "Point", CORE.replace("bt@stmt", "bt@Point"))
    assert stage0.renamed(unit, "whatever") == unit.core


def test_a_unit_without_the_header_is_refused():
    with pytest.raises(stage0.compiler_bt.CompilerBtError):
        stage0.renamed(stage0.CoreUnit("statement", "", "% comment\n" + CORE), "m")


@pytest.mark.slow
def test_the_generator_writes_the_name_only_there():
    # What compiler_bt emits for a statement holding the Symbol: renamed, the Symbol stays.
    entry = stage0.compile_statements([("#'bt@stmt' size", 1)], "renamed_case.bt")[0][0]
    assert entry.error is None
    (unit,) = entry.units
    text = stage0.renamed(unit, "bt@stmt@1")
    assert text.startswith("module 'bt@stmt@1' ")
    assert text.count("'bt@stmt'") == 1
    assert text.count("'bt@stmt@1'") == 3  # the header and the two module_info calls


def test_module_renamed_renames_the_self_send_paths_too():
    old = ("module 'bt@P@>>' ['f'/1]\n'f'/1 = fun (S) -> case call 'bt@sel@f':'$cur'('bt@P@>>') "
           "of <'true'> when 'true' -> call 'bt@sel@g':'$local bt@P@>>'(S) "
           "<_> when 'true' -> call 'bt@sel@g':'$local class bt@P@>>'(S, 'bt@P@>>') end\n")
    new = stage0.module_renamed(old, "bt@P@>>", "bt@P@>>@0001")
    assert new.startswith("module 'bt@P@>>@0001'")
    assert "'$cur'('bt@P@>>@0001')" in new
    assert "'$local bt@P@>>@0001'" in new and "'$local class bt@P@>>@0001'" in new
    assert new.endswith("(S, 'bt@P@>>') end\n")  # program data keeps its name
