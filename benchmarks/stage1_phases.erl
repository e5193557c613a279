%% Stage 1 inside one node, for profiling (not part of the pyperf suite): the CPU time of the
%% jobs bench_bootstrap.py times, compiler_bt's job split by phase, and a cheap sampler.
%%
%%   erlc -o /tmp benchmarks/stage1_phases.erl
%%   B=$(ls -d _build/bootstrap/*/stage0/beam)
%%   erl -noshell -pa _build/runtime_erl/ebin -pa $B -pa /tmp \
%%       -run stage1_phases main $B . time|phases|sample
%%
%% `time`: five runs of every job (the first also reads the stdlib's session), CPU from
%% erlang:statistics(runtime), which counts this node only (the machine may be shared).
%% `phases`: scanning, scanning+layout+parsing, resolving, then the whole compilation.
%% `sample`: the running compiler processes' stacks about every millisecond: the top frames,
%% and each with its caller.
-module(stage1_phases).
-export([main/1, register_build/1, send/3, class/1]).

main([BeamDir, Root, What]) ->
    register_build(BeamDir),
    Jobs = jobs(Root),
    case What of
        "time" ->
            Runs = [timed(Jobs) || _ <- lists:seq(1, 5)],
            io:format("best: ~p ms CPU~n", [lists:min(Runs)]);
        "phases" -> timed(Jobs), phases(lists:last(Jobs));
        "sample" -> timed(Jobs), sample(fun() -> compile_all(Jobs) end)
    end,
    halt(0).

register_build(BeamDir) ->
    ok = beamtalk_classes:ensure_started(),
    Mods = lists:sort([list_to_atom(filename:basename(F, ".beam"))
                       || F <- filelib:wildcard(filename:join(BeamDir, "*.beam"))]),
    lists:foreach(fun beamtalk_loader:ensure_module_imports/1, Mods),
    [{module, M} = code:ensure_loaded(M) || M <- Mods],
    Classes = [M || M <- Mods, erlang:function_exported(M, '$class_info', 0)],
    beamtalk_classes:register_many(Classes),
    [beamtalk_classes:add_method(M) || M <- Mods, not lists:member(M, Classes)],
    ok.

read(F) -> {ok, B} = file:read_file(F), B.

%% As bootstrap/stages.py's jobs(): each stdlib file alone, unresolved; compiler_bt as one
%% session resolved from the stdlib's.
jobs(Root) ->
    Std = filename:join(Root, "stdlib"),
    StdJobs = [begin P = iolist_to_binary(["stdlib/", N]),
                     {[{read(filename:join(Std, N)), 1, P}], P, none} end
               || N <- lists:sort(filelib:wildcard("*.bt", Std))],
    Order = [L || L <- string:split(read(filename:join([Root, "compiler_bt", "LOAD_ORDER"])),
                                    "\n", all),
                  L =/= <<>>, binary:first(L) =/= $#],
    Items = [{read(filename:join([Root, "compiler_bt", F])), 1,
              iolist_to_binary(["compiler_bt/", F])} || F <- Order],
    {_, _, Last} = lists:last(Items),
    StdJobs ++ [{Items, Last, {stdlib, list_to_binary(Std)}}].

compile_all(Jobs) ->
    [begin {ok, {Entries, _}} = beamtalk_compiler:compile_statements(I, P, M),
           [] = [E || {error, _, _, _} = E <- Entries] end || {I, P, M} <- Jobs],
    ok.

cpu() -> element(1, statistics(runtime)).

timed(Jobs) ->
    C0 = cpu(),
    compile_all(Jobs),
    C = cpu() - C0,
    io:format("all jobs: ~p ms CPU~n", [C]),
    C.

send(R, Selector, Args) ->
    case beamtalk_dispatch:send(R, Selector, Args) of
        {'$future', _, _} = F -> beamtalk_future:await(F, infinity);
        V -> V
    end.

class(Name) -> beamtalk_classes:global(Name).

phase(Name, Fun) ->
    C0 = cpu(),
    V = Fun(),
    io:format("~-28s ~5w ms CPU~n", [Name, cpu() - C0]),
    V.

phases({Items, _, {stdlib, Dir}} = Job) ->
    Session = beamtalk_compiler:stdlib_session(Dir),
    phase("scan", fun() -> [send(send(class('BtLexer'), spawn, []), 'scan:file:firstLine:',
                                  [T, F, 1]) || {T, _, F} <- Items] end),
    Trees = phase("scan+layout+parse",
                  fun() -> [send(class('BtCompiler'), 'syntaxTree:path:firstLine:', [T, F, 1])
                            || {T, _, F} <- Items] end),
    phase("resolve", fun() ->
                             lists:foldl(fun({Tree, {_, _, F}}, S) ->
                                                 R = send(class('BtCompiler'),
                                                          'resolve:path:session:',
                                                          [element(1, Tree), F, S]),
                                                 send(R, session, [])
                                         end, Session, lists:zip(Trees, Items))
                     end),
    phase("whole compilation", fun() -> compile_all([Job]) end).

sample(Fun) ->
    Self = self(),
    Worker = spawn(fun() -> Fun(), Self ! done end),
    erlang:trace(Worker, true, [procs, set_on_spawn]),
    report(sample([Worker], [])).

sample(Pids, Acc) ->
    receive done -> Acc
    after 1 ->
            Live = [P || P <- spawned(Pids), is_process_alive(P)],
            Stacks = [S || P <- Live,
                           [{status, St}, {current_stacktrace, S}]
                               <- [erlang:process_info(P, [status, current_stacktrace])],
                           St =/= waiting, S =/= []],
            sample(Live, Stacks ++ Acc)
    end.

spawned(Pids) ->
    receive {trace, _, spawn, P, _} -> spawned([P | Pids]);
            {trace, _, _, _} -> spawned(Pids);
            {trace, _, _, _, _} -> spawned(Pids)
    after 0 -> Pids
    end.

report(Stacks) ->
    N = length(Stacks),
    io:format("~p samples~n--- top frames~n", [N]),
    print(count([mfa(F) || [F | _] <- Stacks]), N),
    io:format("--- top frames with their callers~n"),
    print(count([{mfa(F), mfa(C)} || [F, C | _] <- Stacks]), N).

mfa({M, F, A, _}) when is_list(A) -> {M, F, length(A)};
mfa({M, F, A, _}) -> {M, F, A}.

count(L) ->
    Counts = lists:foldl(fun(K, D) -> maps:update_with(K, fun(V) -> V + 1 end, 1, D) end,
                         #{}, L),
    lists:reverse(lists:keysort(2, lists:sort(maps:to_list(Counts)))).

print(Counts, N) ->
    [io:format("~6.2f% ~p~n", [100 * C / N, X]) || {X, C} <- lists:sublist(Counts, 40)].
