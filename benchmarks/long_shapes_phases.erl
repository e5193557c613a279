%% One long statement through the native compiler phase by phase, for finding superlinear
%% steps (not part of the pyperf suite): CPU of the node (erlang:statistics(runtime)) for
%% compiler_bt's scanning, scanning+layout+parsing, resolving and whole compilation, then
%% for the Erlang side of loading its Core text (core_scan, core_parse, compile:forms).
%%
%%   erlc -o /tmp benchmarks/stage1_phases.erl benchmarks/long_shapes_phases.erl
%%   python3 -c "print('(' + ' + '.join(['1']*4000) + ') printString')" > /tmp/s4000.bt
%%   B=$(ls -d _build/bootstrap/*/stage0/beam)
%%   erl -noshell -pa _build/runtime_erl/ebin -pa $B -pa /tmp \
%%       -run long_shapes_phases main $B . /tmp/s4000.bt /tmp/s8000.bt
%%
%% Doubling the input should about double each line. `compile:forms(..., [time])` on the
%% Core text shows the Erlang compiler's passes.
-module(long_shapes_phases).
-export([main/1]).

main([BeamDir, Root | Files]) ->
    stage1_phases:register_build(BeamDir),
    Std = list_to_binary(filename:join(Root, "stdlib")),
    _ = beamtalk_compiler:stdlib_session(Std),
    %% Everything the first compilation loads, loaded before timing.
    _ = beamtalk_compiler:compile_statements([{<<"1 + 1">>, 1, <<"w.bt">>}], <<"w.bt">>,
                                             {stdlib, Std}),
    [one(F, Std) || F <- Files],
    halt(0).

cpu() -> element(1, statistics(runtime)).

phase(Name, Fun) ->
    C0 = cpu(),
    V = Fun(),
    io:format("  ~-24s ~6w ms CPU~n", [Name, cpu() - C0]),
    V.

send(R, Selector, Args) -> stage1_phases:send(R, Selector, Args).

class(Name) -> stage1_phases:class(Name).

one(File, Std) ->
    {ok, Src} = file:read_file(File),
    io:format("~s (~w bytes)~n", [File, byte_size(Src)]),
    P = list_to_binary(File),
    Session = beamtalk_compiler:stdlib_session(Std),
    phase("scan", fun() -> send(send(class('BtLexer'), spawn, []), 'scan:file:firstLine:',
                                [Src, P, 1]) end),
    Tree = phase("scan+layout+parse",
                 fun() -> send(class('BtCompiler'), 'syntaxTree:path:firstLine:', [Src, P, 1]) end),
    phase("resolve", fun() -> send(class('BtCompiler'), 'resolve:path:session:',
                                   [element(1, Tree), P, Session]) end),
    {ok, {[Entry], _}} =
        phase("whole compilation",
              fun() -> beamtalk_compiler:compile_statements([{Src, 1, P}], P, {stdlib, Std}) end),
    case Entry of
        {ok, Units} -> [core(Core) || {_, _, Core, _} <- Units];
        {error, Rendered, _, _} -> io:format("  error: ~ts~n", [Rendered])
    end.

core(Core) ->
    io:format("  Core text: ~w bytes~n", [byte_size(Core)]),
    {ok, Tokens, _} = phase("core_scan", fun() -> core_scan:string(binary_to_list(Core)) end),
    {ok, Module} = phase("core_parse", fun() -> core_parse:parse(Tokens) end),
    phase("compile:forms", fun() -> compile:forms(Module, [from_core, binary, return_errors,
                                                           deterministic]) end).
