%% Actors (LANGUAGE.md 3.1-3.2, 6): each actor is a process that speaks the gen_server call
%% protocol and OTP's system messages itself (a "special process" in OTP's terms: sys,
%% proc_lib and supervisors treat it as they treat a gen_server); its reference is
%% `{'$actor', ClassName, Pid, Serial}` (docs/native-backend.md, "Actors").
%%
%% A message from outside is `{'$gen_call', From, {'$bt_send', Selector, Args, Module}}` and
%% is answered with `{ok, Value}` or `{error, Exception}`; Erlang code may
%% `gen_server:call(Pid, {send, Selector, Args})` and gets the same answer.  Inside the
%% actor the message is an ordinary send to the reference through the selector's dispatch
%% module, whose clause for an actor running in its own process calls the method directly
%% (self-sends are synchronous).  The loop is this module's own (loop/1), not gen_server's:
%% a message costs what its rules need (the stop and generation checks, the copy kept for
%% rollback, the reply) and no more, so a send + await costs less than a `gen_server:call`
%% to a gen_server that only echoes (benchmarks/bench_native_actors.py).
%%
%% The running actor keeps its fields in its process dictionary (`'$bt_fields'`, a map),
%% where generated code reads and writes them; the map at the start of a message is kept
%% and put back when an error escapes the message.  A class (re)definition bumps the
%% registry's generation; at its next message an actor whose generation is older migrates
%% its fields (kept ones keep their values, new ones get their defaults, removed ones go).
-module(beamtalk_actor).
-export([spawn/2, plan/1, spawn_planned/3, send/3, send/4, call/4, stale_send/3, field/1, set_field/2, current_class/0, kill_all/0, init_tables/0,
         generation/0, bump_generation/0, ensure_generation/0, is_actor_pid/1]).
-export([class/1, printString/1, displayString/1, '='/2, '~='/2, '=='/2, '~~'/2, hash/1,
         isNil/1, notNil/1, yourself/1, isAlive/1, stop/1, kill/1, await/1, 'await:'/2,
         awaitForever/1, isFuture/1, node/1, 'class spawnOn:'/2, 'class spawnOn:with:'/3]).
-compile({no_auto_import, [node/1]}).
-export([start/4, idle/5, wake/5]).
%% OTP's system messages (sys:handle_system_msg/6 calls these back).
-export([system_continue/3, system_terminate/4, system_get_state/1, system_replace_state/2,
         system_code_change/4, format_status/2]).

-define(FIELDS, '$bt_fields').
-define(SELF, '$bt_self').
-define(STOPPING, '$bt_stopping').
-define(CALLBACKS, '$bt_callbacks').  % beamtalk_future's callbacks
-define(WATCH, '$bt_watch').  % beamtalk_future's watch tick
-define(STARTED, '$bt_gen').  % the generation when the running message started
-define(MONITOR, '$bt_monitor').  % call/4's cached monitor: {Pid, Ref}
-define(REPLY, '$bt_reply').  % call/4's reply tag: [?REPLY | Ref]
%% Two persistent terms, small integers (replacing one costs no global garbage collection;
%% reading one is about a quarter of an atomics read): the class generation, and a value
%% that changes at every stop request (stop/1) and every new generation, which is all a
%% message reads when neither happened since the last one (serve/5).
-define(GEN_KEY, beamtalk_generation).
-define(CHANGES_KEY, beamtalk_changes).
-define(WAITS, beamtalk_waits).  % wait edges for deadlock detection (beamtalk_future)
%% Actors asked to stop from outside (stop/1): each serves no message after its current one.
-define(STOPS, beamtalk_stops).
%% An actor's heap limit in words: runaway recursion ends the actor (its callers see
%% ActorDead, LANGUAGE.md 8) instead of exhausting the machine.
-define(MAX_HEAP_WORDS, 1 bsl 25).
%% A mailbox this short is scanned whole by call/4's receive at no real cost (see there).
-define(SHORT_MAILBOX, 16).

%% The loop's state: the reference, the generation the fields were migrated to, the
%% changes' value last seen, the parent (proc_lib's, for sys) and sys's debug options.
-record(st, {self :: tuple(), gen :: integer(), changes :: integer() | none, parent :: pid(),
             debug = [] :: list()}).

%% ---------------------------------------------------------------- tables and generation

-spec init_tables() -> ok.
%% @doc Create the wait-edge table (deadlock detection) and the generation counter; called
%% by the registry's server, which owns them.
init_tables() ->
    case ets:whereis(?WAITS) of
        undefined -> ets:new(?WAITS, [named_table, public, set, {write_concurrency, true}]);
        _ -> ok
    end,
    case ets:whereis(?STOPS) of
        undefined -> ets:new(?STOPS, [named_table, public, set, {write_concurrency, true}]);
        _ -> ok
    end,
    ensure_generation().

-spec ensure_generation() -> ok.
ensure_generation() ->
    [persistent_term:put(Key, 0) || Key <- [?GEN_KEY, ?CHANGES_KEY],
                                    not is_integer(persistent_term:get(Key, undefined))],
    ok.

-spec generation() -> integer().
%% @doc The registry's class generation (changes when a class is (re)defined).
generation() -> persistent_term:get(?GEN_KEY).

-spec bump_generation() -> ok.
%% @doc A new generation; only the registry's server calls this, so no two bumps race.  The
%% changes' value is written after it: an actor that sees the new one finds the generation.
bump_generation() ->
    persistent_term:put(?GEN_KEY, generation() + 1),
    note_change().

%% A value never written before: every actor sees a change at its next message, whatever
%% other stops or bumps write meanwhile.
note_change() -> persistent_term:put(?CHANGES_KEY, erlang:unique_integer([positive])).

%% ---------------------------------------------------------------- spawning

-spec spawn(atom(), map()) -> tuple().
%% @doc `Cls spawn` / `spawnWith:` for a class that may have actors: the fields (defaults
%% evaluated here, in declaration order, given fields skipping theirs), the process, then
%% `initialize` inside it.
spawn(Class, Given) ->
    case plan(Class) of
        {cannot, Id} -> beamtalk_error:raise(Id, #{class_name => atom_to_binary(Class),
                                                   selector => spawn});
        Plan -> spawn_planned(Class, Plan, Given)
    end.

-spec plan(atom()) -> {cannot, atom()} | {spawn, [{atom(), module() | nil}], boolean()}.
%% @doc What spawning an actor of Class takes, kept in the registry's table per class and
%% generation (looking the class up for every spawn dominated its cost): each field with
%% the module of its default (or nil), and whether `initialize` is defined.
plan(Class) ->
    Gen = generation(),
    case ets:lookup(beamtalk_classes, {spawn_plan, Class}) of
        [{_, Gen, Plan}] -> Plan;
        _ ->
            Plan = case beamtalk_class:spawn_refusal(Class) of
                       none ->
                           {spawn, field_plan(Class),
                            beamtalk_dispatch:resolve_instance(Class, initialize) =/= dnu};
                       Id -> {cannot, Id}
                   end,
            ets:insert(beamtalk_classes, {{spawn_plan, Class}, Gen, Plan}),
            Plan
    end.

%% Each field with the module of its default (or nil): what `new` fills a value instance with.
field_plan(Class) ->
    {_Kind, Fillers} = beamtalk_object:instance_plan(Class),
    Fillers.

-spec spawn_planned(atom(), tuple(), map()) -> tuple().
%% @doc Spawn with a plan from plan/1.  The process is started without waiting for it
%% (start/4, hibernated); `initialize`, when there is one, is
%% the first message it serves and the caller awaits it: if it fails, the actor is killed
%% and the error raised here.
spawn_planned(Class, {spawn, Fields0, HasInit}, Given) ->
    Fields = lists:foldl(fun({F, _}, Acc) when is_map_key(F, Given) -> Acc;
                            ({F, nil}, Acc) -> Acc#{F => nil};
                            ({F, Module}, Acc) -> Acc#{F => Module:'$default'(F)}
                         end, Given, Fields0),
    Serial = erlang:unique_integer([monotonic, positive]),
    Gen = generation(),
    Pid = start(Class, Fields, Serial, Gen),
    Actor = {'$actor', Class, Pid, Serial},
    case HasInit of
        false -> Actor;
        true ->
            try beamtalk_future:await(send(Actor, initialize, []), infinity) of
                _ -> Actor
            catch Kind:Reason:Trace ->
                    exit(Pid, kill),
                    erlang:raise(Kind, Reason, Trace)
            end
    end.

-spec start(atom(), map(), integer(), integer()) -> pid().
%% @doc The process of a new actor (its fields evaluated, not yet initialized), idle and
%% hibernated: spawning a million of them is the budget (ARCHITECTURE.md), so the new
%% process only records what it is and hibernates; its first message wakes it into its
%% loop (wake/5).  Not proc_lib:spawn + a loop's set-up, done for every actor, also the
%% ones that never get a message, and kept more per actor.
start(Class, Fields, Serial, Gen) ->
    erlang:spawn(?MODULE, idle, [Class, Fields, Serial, Gen, self()]).

-spec idle(atom(), map(), integer(), integer(), pid()) -> no_return().
%% @doc A new actor's first code (its initial call tells actors apart, is_actor_pid/1):
%% hibernation until the first message.
idle(Class, Fields, Serial, Gen, Parent) ->
    erlang:hibernate(?MODULE, wake, [Class, Fields, Serial, Gen, Parent]).

-spec wake(atom(), map(), integer(), integer(), pid()) -> no_return().
%% @doc The first message arrived: the heap limit (a runaway actor dies instead of
%% exhausting the machine; nothing runs before this), what proc_lib would have recorded
%% (sys and supervisors read '$ancestors' and '$initial_call'), the reference and the
%% fields go to the dictionary, and the process enters its loop.
wake(Class, Fields, Serial, Gen, Parent) ->
    _ = process_flag(max_heap_size, #{size => ?MAX_HEAP_WORDS, kill => true,
                                      error_logger => false}),
    put('$ancestors', [Parent]),
    put('$initial_call', {?MODULE, init, 1}),
    Self = {'$actor', Class, self(), Serial},
    put(?SELF, Self),
    put(?FIELDS, Fields),
    put(?STARTED, Gen),
    %% changes = none: the first message looks in the stop table (a stop asked before it
    %% woke) and at the generation.
    loop(#st{self = Self, gen = Gen, changes = none, parent = Parent}).

%% ---------------------------------------------------------------- the loop

%% One message at a time, in arrival order: a send from outside is served at once (the first
%% clause), anything else by other/2.
loop(#st{debug = []} = S) ->
    receive
        {'$gen_call', From, {'$bt_send', Selector, Args, Module}} ->
            serve(From, Selector, Args, Module, S);
        Msg -> other(Msg, S)
    end;
loop(#st{debug = Debug} = S) ->  % sys:trace or sys:log is on: every message is logged
    receive
        Msg ->
            Logged = S#st{debug = sys:handle_debug(Debug, fun print_event/3, self(), {in, Msg})},
            case Msg of
                {'$gen_call', From, {'$bt_send', Selector, Args, Module}} ->
                    serve(From, Selector, Args, Module, Logged);
                _ -> other(Msg, Logged)
            end
    end.

%% The other gen_server requests an actor answers (docs/native-backend.md, "Erlang
%% callers"), OTP's system messages, and replies to the actor's own futures.
other({'$gen_call', From, Request}, S) ->
    case Request of
        {'$bt_send', Selector, Args} when is_atom(Selector), is_list(Args) ->
            serve(From, Selector, Args, beamtalk_dispatch:dispatch_module(Selector), S);
        {send, Selector, Args} when is_atom(Selector), is_list(Args) ->
            serve(From, Selector, beamtalk_future:values(Args),
                  beamtalk_dispatch:dispatch_module(Selector), S);
        '$bt_stop' ->
            reply(From, ok, S),
            exit(normal);
        _ ->
            reply(From, {error, beamtalk_error:new(internal_error,
                                                   #{detail => <<"unknown request to an actor">>})},
                  S),
            loop(S)
    end;
other({system, From, Request}, #st{parent = Parent, debug = Debug} = S) ->
    sys:handle_system_msg(Request, From, Parent, ?MODULE, Debug, S);
other({'EXIT', Parent, Reason}, #st{parent = Parent}) ->  % only seen when trapping exits
    exit(Reason);
%% Replies to this actor's own futures that it was not waiting for: settle them and run
%% their callbacks (between two messages, LANGUAGE.md 3.2).
other({[alias | Ref], Reply}, S) when is_reference(Ref) ->
    settle_own(Ref, Reply),
    loop(S);
other({timeout, _, '$bt_watch'} = Tick, S) ->  % a watch tick that came between two waits
    beamtalk_future:watch_fired(Tick),
    loop(S);
other({'DOWN', Ref, process, _, Reason}, S) ->
    case get({'$bt_fut', Ref}) of
        {pending, _, Class} -> settle_own(Ref, {down, Class, Reason});
        _ -> forget_monitor(Ref)
    end,
    loop(S);
other(_Cast, S) ->  % casts and stray messages are dropped
    loop(S).

%% The answer to a gen_server call (gen:reply/2; a fused await's tag, call/4, is answered
%% with a plain send), logged when sys debugging is on; an answer to a caller of another
%% node takes the code it needs there first (a block: beamtalk_node).
reply({To, [?REPLY | _] = Tag}, Reply, #st{debug = []}) when erlang:node(To) =:= erlang:node() ->
    To ! {Tag, Reply},
    ok;
reply({To, _} = From, Reply, #st{debug = []}) when erlang:node(To) =:= erlang:node() ->
    gen:reply(From, Reply);
reply({To, _} = From, Reply, #st{debug = Debug}) ->
    ok = beamtalk_node:answering(erlang:node(To), Reply),
    gen:reply(From, Reply),
    _ = Debug =:= [] orelse sys:handle_debug(Debug, fun print_event/3, self(), {out, Reply, To}),
    ok.

print_event(Device, Event, Name) ->
    io:format(Device, "*DBG* ~tp event = ~tp~n", [Name, Event]).

%% sys:handle_system_msg/6 answers sys:get_state, sys:suspend, sys:trace, ... and calls
%% these back.
-spec system_continue(pid(), list(), #st{}) -> no_return().
system_continue(_Parent, Debug, S) -> loop(S#st{debug = Debug}).

-spec system_terminate(term(), pid(), list(), #st{}) -> no_return().
system_terminate(Reason, _Parent, _Debug, _S) -> exit(Reason).

-spec system_get_state(#st{}) -> {ok, map()}.
%% @doc sys:get_state/1 on an actor: its reference and fields.
system_get_state(#st{self = Self}) -> {ok, #{self => Self, fields => get(?FIELDS)}}.

-spec system_replace_state(fun((map()) -> map()), #st{}) -> {ok, map(), #st{}}.
%% @doc sys:replace_state/2: the function gets and answers what system_get_state/1 shows.
system_replace_state(Fun, #st{self = Self} = S) ->
    #{fields := Fields} = New = Fun(#{self => Self, fields => get(?FIELDS)}),
    put(?FIELDS, Fields),
    {ok, New, S}.

-spec system_code_change(#st{}, module(), term(), term()) -> {ok, #st{}}.
%% @doc Code is never changed under an actor this way: a class gets a new module and the
%% actor migrates its fields at its next message (LANGUAGE.md 6).
system_code_change(S, _Module, _OldVsn, _Extra) -> {ok, S}.

-spec format_status(normal | terminate, list()) -> term().
%% @doc What sys:get_status/1 shows of an actor.
format_status(_Opt, [_PDict, _SysState, _Parent, _Debug, #st{self = Self}]) ->
    [{data, [{"Actor", Self}, {"Fields", get(?FIELDS)}]}].

%% ---------------------------------------------------------------- sending

-spec send(tuple(), atom(), [term()]) -> tuple().
%% @doc A message to an actor from outside its process: a future at once.  Futures among
%% the arguments are awaited first (the sender awaits before the message leaves).
send(Actor, Selector, Args) ->
    send(Actor, Selector, Args, beamtalk_dispatch:dispatch_module(Selector)).

-spec send(tuple(), atom(), [term()], module()) -> tuple().
%% @doc send/3 from a dispatch module, which names itself (the actor need not build the
%% module name from the selector).
send({'$actor', Class, Pid, _}, Selector, Args0, Module) ->
    Args = outgoing(Pid, Args0),
    Ref = erlang:monitor(process, Pid, [{alias, reply_demonitor}]),
    post(Pid, [alias | Ref], Selector, Args, Module),
    beamtalk_future:new(Ref, Pid, Class).

-spec call(tuple(), atom(), [term()], module()) -> term().
%% @doc `(actor m: a) await` sent from outside the actor: send/4 and the future's await in
%% one function, recording no future unless the wait outlasts beamtalk_future:quick_ms/0
%% (then the deadlock watch and the timeout go on as for any await).  The reply comes
%% tagged `[?REPLY | Tag]` with a plain reference: no alias (an alias made and deactivated
%% per round trip cost about a quarter of a `gen_server:call`), so a reply that comes after
%% a TimeoutError or DeadlockError is a stray message, which the top level (drain/0) and an
%% actor's loop drop.  Two ways to wait:
%% - the mailbox is short (the common case): the actor is watched by this process's one
%%   cached monitor (monitor_of/1: a loop sending to one actor makes no monitor per round
%%   trip), and the receive also takes this process's watch tick
%%   (beamtalk_future:watch/0), a timer shared by all its waits, instead of a timer of its
%%   own; when the tick comes first, the monitor is made afresh (its DOWN may have been
%%   taken by other code) and the wait goes on as an ordinary await (the quick wait, then
%%   the deadlock watch, the timeout);
%% - the mailbox is long: a monitor of its own, whose reference tags the reply, so the
%%   runtime starts the receive at the mark set when the monitor was made and never scans
%%   what was queued before, with a timer of its own.
call({'$actor', Class, Pid, _}, Selector, Args0, Module) ->
    Args = outgoing(Pid, Args0),
    case erlang:process_info(self(), message_queue_len) of
        {_, Queued} when Queued =< ?SHORT_MAILBOX ->
            Mon = monitor_of(Pid),
            Tag = make_ref(),
            post(Pid, [?REPLY | Tag], Selector, Args, Module),
            case get(?WATCH) of  % beamtalk_future:watch/0, without the call once it runs
                undefined -> beamtalk_future:watch();
                _ -> ok
            end,
            receive
                {[?REPLY | Tag], {ok, V} = Reply} ->
                    case get(?CALLBACKS) of  % beamtalk_future:answer/1's common case
                        undefined -> V;
                        _ -> beamtalk_future:answer(Reply)
                    end;
                {[?REPLY | Tag], Reply} -> beamtalk_future:answer(Reply);
                {'DOWN', Mon, process, _, Reason} ->
                    _ = erase(?MONITOR),
                    beamtalk_future:answer({down, Class, Reason});
                {timeout, _, '$bt_watch'} = Tick ->
                    beamtalk_future:watch_fired(Tick),
                    watched_reply([?REPLY | Tag], remonitor(Pid, Mon), Pid, Class)
            end;
        _ ->
            Ref = erlang:monitor(process, Pid),
            post(Pid, [?REPLY | Ref], Selector, Args, Module),
            receive
                {[?REPLY | Ref], Reply} ->
                    erlang:demonitor(Ref, [flush]),
                    beamtalk_future:answer(Reply);
                {'DOWN', Ref, process, _, Reason} -> beamtalk_future:answer({down, Class, Reason})
            after beamtalk_future:quick_ms() ->
                    try watched_reply([?REPLY | Ref], Ref, Pid, Class)
                    after erlang:demonitor(Ref, [flush])
                    end
            end
    end.

%% The rest of a fused wait after its first 100 ms (or a watch tick): an ordinary await's
%% deadlock watch and timeout (beamtalk_future:reply_within/5), the cached monitor forgotten
%% when it saw the actor end.
watched_reply(Tag, Mon, Pid, Class) ->
    Reply = beamtalk_future:reply_within(Tag, Mon, Pid, Class, beamtalk_future:default_ms()),
    case Reply of
        {down, _, _} -> forget_monitor(Mon);
        _ -> ok
    end,
    beamtalk_future:answer(Reply).

%% This process's monitor of the actor it last awaited at once (`{Pid, Ref}` under
%% ?MONITOR), made when it awaits another: replaced, never accumulated.  Its DOWN ends a wait
%% on that actor at once; one that comes while no wait runs stays queued for the next wait
%% (or is dropped by drain/0 or an actor's loop, which forget the monitor).
monitor_of(Pid) ->
    case get(?MONITOR) of
        {Pid, Mon} -> Mon;
        Old ->
            case Old of
                {_, OldMon} -> erlang:demonitor(OldMon, [flush]);
                undefined -> ok
            end,
            Mon = erlang:monitor(process, Pid),
            put(?MONITOR, {Pid, Mon}),
            Mon
    end.

%% A new cached monitor of Pid (a dead Pid's DOWN, noproc, comes at once).
remonitor(Pid, Mon) ->
    erlang:demonitor(Mon, [flush]),
    _ = erase(?MONITOR),
    monitor_of(Pid).

%% The cached monitor reported its actor's end: the next wait makes a new one.
forget_monitor(Mon) ->
    case get(?MONITOR) of
        {_, Mon} -> _ = erase(?MONITOR), ok;
        _ -> ok
    end.

%% What a message to an actor needs before it leaves: its futures among the arguments
%% awaited (the sender awaits before the message leaves); for an actor of another node also
%% that node reachable (NodeDown) and the code the arguments need sent there (beamtalk_node).
outgoing(Pid, Args) when erlang:node(Pid) =:= erlang:node() -> beamtalk_future:values(Args);
outgoing(Pid, Args) -> beamtalk_node:outgoing(erlang:node(Pid), Args).

%% The message on its way, as gen_server:call sends it, with the reply's tag.
post(Pid, Tag, Selector, Args, Module) ->
    erlang:send(Pid, {'$gen_call', {self(), Tag}, {'$bt_send', Selector, Args, Module}},
                [noconnect]).

settle_own(Ref, Reply) ->
    case get({'$bt_fut', Ref}) of
        {pending, _, _} ->
            _ = beamtalk_future:settle(Ref, Reply),
            safely(fun beamtalk_future:run_callbacks/0);
        _ -> ok
    end.

%% A callback's error is not the next message's: it is dropped, the actor goes on.
safely(Fun) ->
    try Fun()
    catch _:_ -> ok
    end.

%% A message from outside: first whether anything changed since the last message (one
%% read when nothing did), then whether a stop was asked meanwhile and whether classes
%% changed (the fields migrate; the generation the message starts with is put only when it
%% moved: self-sends compare it, stale_send/3).
serve(From, Selector, Args, Module, #st{changes = Seen} = S) ->
    case persistent_term:get(?CHANGES_KEY) of
        Seen -> run(From, Selector, Args, Module, S);
        Now -> changed(From, Selector, Args, Module, S#st{changes = Now})
    end.

%% Stop requests or a new generation since the last message: when this actor was asked to
%% stop (stop/1), the message it would start now, and every one queued after it, is
%% rejected (LANGUAGE.md 3.2); else it runs, after the fields migrated if the generation
%% moved.
changed(From, Selector, Args, Module, #st{self = {'$actor', Class, _, _}, gen = Gen} = S) ->
    case ets:member(?STOPS, self()) of
        true ->
            reply(From, {error, beamtalk_error:new(actor_dead, #{class_name => Class})}, S),
            exit(normal);
        false ->
            case persistent_term:get(?GEN_KEY) of
                Gen -> run(From, Selector, Args, Module, S);
                Now -> run(From, Selector, Args, Module, migrated(Now, S))
            end
    end.

%% The message runs as a send to the actor itself (its dispatch clause for an actor in its
%% own process runs the method), an error escaping it puts the fields back; the callbacks
%% that came due run, the reply goes out; then the next message, unless the actor stopped
%% itself.
run(From, Selector, Args, Module, #st{self = Self} = S) ->
    Saved = get(?FIELDS),
    Reply = try answer(direct(Module, Self, Args))
            catch Kind:Reason:Trace -> failed(Kind, Reason, Trace, Saved, Module, Self, Selector, Args)
            end,
    case get(?CALLBACKS) of
        undefined -> ok;
        _ -> safely(fun beamtalk_future:run_callbacks/0)
    end,
    reply(From, Reply, S),
    case get(?STOPPING) of
        undefined -> loop(S);
        _ -> exit(normal)
    end.

%% A static call for up to three arguments.
direct(Module, Self, []) -> Module:send(Self);
direct(Module, Self, [A]) -> Module:send(Self, A);
direct(Module, Self, [A, B]) -> Module:send(Self, A, B);
direct(Module, Self, [A, B, C]) -> Module:send(Self, A, B, C);
direct(Module, Self, Args) -> erlang:apply(Module, send, [Self | Args]).

%% A selector without a dispatch module yet goes the slow way; any other error escaping the
%% message is its answer, and the fields are put back.
failed(error, undef, [{Module, send, _, _} | _], Saved, Module, Self, Selector, Args) ->
    try answer(beamtalk_dispatch:send(Self, Selector, Args))
    catch Kind:Reason:Trace -> failed(Kind, Reason, Trace, Saved, none, Self, Selector, Args)
    end;
failed(error, Reason, Trace, Saved, _, _, _, _) ->
    put(?FIELDS, Saved),
    {error, beamtalk_handlers:strip(beamtalk_handlers:to_exception(Reason, Trace))};
failed(Kind, Reason, Trace, Saved, _, _, _, _) ->
    put(?FIELDS, Saved),
    {error, beamtalk_handlers:to_exception({Kind, Reason}, Trace)}.

%% A method whose answer is a future awaits it before replying.
answer({'$future', _, _} = F) -> answer(beamtalk_future:await(F, infinity));
answer(V) -> {ok, V}.

%% ---------------------------------------------------------------- live change

-spec stale_send(tuple(), atom(), [term()]) -> term().
%% @doc A send to the running actor itself after methods changed during the message: it
%% runs the method as it was when the message started (LANGUAGE.md 3.2, 6).  The dispatch
%% clause for an actor in its own process calls this only when the generation moved.
stale_send({'$actor', Class, _, _} = Self, Selector, Args) ->
    Gen = get(?STARTED),
    Chain = [C || C <- beamtalk_classes:lookup_chain(Class), C =/= 'Object'] ++ ['Object'],
    Target = case [E || C <- Chain,
                        E <- [beamtalk_classes:entry_at(C, instance, Selector, Gen)],
                        E =/= none] of
                 [#{target := T} | _] -> T;
                 [] -> dnu
             end,
    beamtalk_dispatch:call_target(Target, Self, Selector, Args).

migrated(Now, #st{self = {'$actor', Class, _, _}} = S) ->
    migrate(Class),
    put(?STARTED, Now),
    S#st{gen = Now}.

%% Kept fields keep their values, new ones get their defaults (evaluated here, inside the
%% actor), removed ones go.
migrate(Class) ->
    Old = get(?FIELDS),
    Names = beamtalk_classes:all_fields(Class),
    Kept = maps:with(Names, Old),
    put(?FIELDS, beamtalk_object:field_values(Class, Kept)).

%% ---------------------------------------------------------------- fields

-spec field(atom()) -> term().
%% @doc `self.x` in the running actor.
field(Name) ->
    case get(?FIELDS) of
        #{Name := V} -> V;
        _ -> nil
    end.

-spec set_field(atom(), term()) -> term().
%% @doc `self.x := v` in the running actor; answers v.
set_field(Name, Value) ->
    case get(?FIELDS) of
        undefined -> beamtalk_error:raise(internal_error,
                                          #{detail => <<"a field assigned outside its actor">>});
        Fields -> put(?FIELDS, Fields#{Name => Value}), Value
    end.

-spec current_class() -> atom() | none.
%% @doc The class of the actor running in this process, or none (the top level).
current_class() ->
    case get(?SELF) of
        {'$actor', Class, _, _} -> Class;
        _ -> none
    end.

-spec is_actor_pid(pid()) -> boolean().
%% @doc Whether a process is a Beamtalk actor (started by this module).
is_actor_pid(Pid) ->
    erlang:process_info(Pid, initial_call) =:= {initial_call, {?MODULE, idle, 5}}.

-spec kill_all() -> ok.
%% @doc End every actor of this node (the runner's reset: nothing leaks between files).
kill_all() ->
    %% One at a time, waiting for each: no list of a million monitors on this heap.
    lists:foreach(fun(P) ->
                          case P =/= self() andalso is_actor_pid(P) of
                              true ->
                                  Ref = erlang:monitor(process, P),
                                  exit(P, kill),
                                  receive {'DOWN', Ref, process, _, _} -> ok end;
                              false -> ok
                          end
                  end, erlang:processes()),
    ets:delete_all_objects(?WAITS),
    ets:delete_all_objects(?STOPS),
    ok.

%% ---------------------------------------------------------------- the reference's own messages

class({'$actor', Class, _, _}) -> beamtalk_value:class(Class).
printString(A) -> beamtalk_print:print_string(A).
displayString(A) -> beamtalk_print:print_string(A).
'='(A, B) -> A =:= beamtalk_future:value(B).
'~='(A, B) -> A =/= beamtalk_future:value(B).
'=='(A, B) -> A =:= beamtalk_future:value(B).
'~~'(A, B) -> A =/= beamtalk_future:value(B).
hash({'$actor', _, _, Serial}) -> Serial.
isNil(_) -> false.
notNil(_) -> true.
yourself(A) -> A.
await(A) -> A.
'await:'(A, _) -> A.
awaitForever(A) -> A.
isFuture(_) -> false.

isAlive({'$actor', _, Pid, _}) when Pid =:= self() -> get(?STOPPING) =/= true;
isAlive({'$actor', _, Pid, _}) when erlang:node(Pid) =/= erlang:node() ->
    beamtalk_node:is_alive(Pid);
isAlive({'$actor', _, Pid, _}) -> is_process_alive(Pid).

%% The node the actor runs on (LANGUAGE.md 3.8); spawning on a node is beamtalk_node's.
node({'$actor', _, Pid, _}) -> erlang:node(Pid).
'class spawnOn:'(Class, Node) -> beamtalk_node:spawn_on(Class, Node, none).
'class spawnOn:with:'(Class, Node, Fields) -> beamtalk_node:spawn_on(Class, Node, Fields).

%% `stop` from outside waits until the current message has finished and the actor has
%% ended; from inside, the actor ends after the current message.
stop({'$actor', _, Pid, _}) when Pid =:= self() ->
    put(?STOPPING, true),
    ok;
stop({'$actor', _, Pid, _}) ->
    Ref = erlang:monitor(process, Pid),
    %% Messages queued before this request are not served (serve/5 looks here when the
    %% changes' value moved); the request itself ends an actor that is idle.
    ets:insert(?STOPS, {Pid}),
    note_change(),
    _ = (catch gen_server:call(Pid, '$bt_stop', infinity)),
    receive {'DOWN', Ref, process, _, _} -> ok end,
    ets:delete(?STOPS, Pid),
    ok.

%% `kill` ends the actor at once; its running message and queued ones are rejected
%% (their senders' monitors report the end: ActorDead).
kill({'$actor', _, Pid, _}) when Pid =:= self() -> exit(self(), kill);
kill({'$actor', _, Pid, _}) ->
    Ref = erlang:monitor(process, Pid),
    exit(Pid, kill),
    receive {'DOWN', Ref, process, _, _} -> ok end.
