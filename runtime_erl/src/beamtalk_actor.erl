%% Actors (LANGUAGE.md 3.1-3.2, 6): each actor is a gen_server process; its reference is
%% `{'$actor', ClassName, Pid, Serial}` (docs/native-backend.md, "Actors").
%%
%% A message from outside is `{'$gen_call', From, {'$bt_send', Selector, Args}}` and is
%% answered with `{ok, Value}` or `{error, Exception}`; Erlang code may
%% `gen_server:call(Pid, {send, Selector, Args})` and gets the same answer.  Inside the
%% actor the message is an ordinary send to the reference through the selector's dispatch
%% module, whose clause for an actor running in its own process calls the method directly
%% (self-sends are synchronous).
%%
%% The running actor keeps its fields in its process dictionary (`'$bt_fields'`, a map),
%% where generated code reads and writes them; the map at the start of a message is kept
%% and put back when an error escapes the message.  A class (re)definition bumps the
%% registry's generation; at its next message an actor whose generation is older migrates
%% its fields (kept ones keep their values, new ones get their defaults, removed ones go).
-module(beamtalk_actor).
-behaviour(gen_server).
-export([spawn/2, plan/1, spawn_planned/3, send/3, send/4, call/4, stale_send/3, field/1, set_field/2, current_class/0, kill_all/0, init_tables/0,
         generation/0, bump_generation/0, ensure_generation/0, is_actor_pid/1]).
-export([class/1, printString/1, displayString/1, '='/2, '~='/2, '=='/2, '~~'/2, hash/1,
         isNil/1, notNil/1, yourself/1, isAlive/1, stop/1, kill/1, await/1, 'await:'/2,
         awaitForever/1, isFuture/1, node/1, 'class spawnOn:'/2, 'class spawnOn:with:'/3]).
-compile({no_auto_import, [node/1]}).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).
-export([start/4, idle/5, wake/5]).

-define(FIELDS, '$bt_fields').
-define(SELF, '$bt_self').
-define(STOPPING, '$bt_stopping').
-define(STARTED, '$bt_gen').  % the generation when the running message started
-define(GEN_KEY, beamtalk_generation).
-define(WAITS, beamtalk_waits).  % wait edges for deadlock detection (beamtalk_future)
%% Actors asked to stop from outside (stop/1): each serves no message after its current one.
-define(STOPS, beamtalk_stops).
%% An actor's heap limit in words: runaway recursion ends the actor (its callers see
%% ActorDead, LANGUAGE.md 8) instead of exhausting the machine.
-define(MAX_HEAP_WORDS, 1 bsl 25).

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
    case persistent_term:get(?GEN_KEY, undefined) of
        %% 1: the class generation; 2: the count of stop requests (stop/1)
        undefined -> persistent_term:put(?GEN_KEY, atomics:new(2, [])), ok;
        _ -> ok
    end.

-spec generation() -> integer().
%% @doc The registry's class generation (changes when a class is (re)defined).
generation() -> atomics:get(persistent_term:get(?GEN_KEY), 1).

-spec bump_generation() -> ok.
bump_generation() -> atomics:add(persistent_term:get(?GEN_KEY), 1, 1).

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

field_plan(Class) ->
    lists:append(
      [[{F, case lists:member(F, Defaults) of
                true -> Module;
                false -> nil
            end} || F <- Own]
       || C <- lists:reverse(beamtalk_classes:lookup_chain(Class)),
          #{fields := Own, defaults := Defaults, module := Module} <- [beamtalk_classes:info(C)]]).

-spec spawn_planned(atom(), tuple(), map()) -> tuple().
%% @doc Spawn with a plan from plan/1.  The process is started without waiting for it
%% (proc_lib, then gen_server:enter_loop hibernated); `initialize`, when there is one, is
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
%% process only records what it is and hibernates; its first message wakes it into the
%% gen_server loop (wake/3).  Not proc_lib:spawn + enter_loop, which did the loop's set-up
%% for every actor, also the ones that never get a message, and kept more per actor.
start(Class, Fields, Serial, Gen) ->
    erlang:spawn(?MODULE, idle, [Class, Fields, Serial, Gen, self()]).

-spec idle(atom(), map(), integer(), integer(), pid()) -> no_return().
%% @doc A new actor's first code (its initial call tells actors apart, is_actor_pid/1):
%% hibernation until the first message.
idle(Class, Fields, Serial, Gen, Parent) ->
    erlang:hibernate(?MODULE, wake, [Class, Fields, Serial, Gen, Parent]).

-spec wake(atom(), map(), integer(), integer(), pid()) -> no_return().
%% @doc The first message arrived: the heap limit (a runaway actor dies instead of
%% exhausting the machine; nothing runs before this), the reference and the fields go to
%% the dictionary, and the process becomes a gen_server (what proc_lib would have recorded
%% is recorded here: gen_server takes its parent from '$ancestors').
wake(Class, Fields, Serial, Gen, Parent) ->
    _ = process_flag(max_heap_size, #{size => ?MAX_HEAP_WORDS, kill => true,
                                      error_logger => false}),
    put('$ancestors', [Parent]),
    put('$initial_call', {?MODULE, init, 1}),
    Self = {'$actor', Class, self(), Serial},
    put(?SELF, Self),
    put(?FIELDS, Fields),
    gen_server:enter_loop(?MODULE, [], #{self => Self, gen => Gen, stops => 0}).

%% Not used by spawn (which enters the loop directly); gen_server:start(beamtalk_actor,
%% {Class, Fields, Serial}, []) works too.
init({Class, Fields, Serial}) ->
    Self = {'$actor', Class, self(), Serial},
    put(?SELF, Self),
    put(?FIELDS, Fields),
    {ok, #{self => Self, gen => generation(), stops => 0}, hibernate}.

%% ---------------------------------------------------------------- sending

-spec send(tuple(), atom(), [term()]) -> tuple().
%% @doc A message to an actor from outside its process: a future at once.  Futures among
%% the arguments are awaited first (the sender awaits before the message leaves).
send(Actor, Selector, Args) ->
    send(Actor, Selector, Args, beamtalk_dispatch:dispatch_module(Selector)).

-spec send(tuple(), atom(), [term()], module()) -> tuple().
%% @doc send/3 from a dispatch module, which names itself (the actor need not build the
%% module name from the selector).
send({'$actor', Class, Pid, _}, Selector, Args, Module) ->
    beamtalk_future:new(post(Pid, Selector, Args, Module), Pid, Class).

-spec call(tuple(), atom(), [term()], module()) -> term().
%% @doc `(actor m: a) await` sent from outside the actor: send/4 and the future's await in
%% one function, so that the receive skips what was in the mailbox before the send (the
%% reference is made here; a busy mailbox is not scanned) and no future is recorded unless
%% the wait outlasts beamtalk_future:quick_ms/1 (then the deadlock watch and the timeout
%% go on as for any await).
call({'$actor', Class, Pid, _}, Selector, Args, Module) ->
    Ms = beamtalk_future:default_ms(),
    Ref = post(Pid, Selector, Args, Module),
    receive
        {[alias | Ref], Reply} -> beamtalk_future:answer(Reply);
        {'DOWN', Ref, process, _, Reason} -> beamtalk_future:answer({down, Class, Reason})
    after beamtalk_future:quick_ms(Ms) ->
            beamtalk_future:await_longer(Ref, Pid, Class, Ms)
    end.

%% The message on its way, as gen_server:call sends it (its futures among the arguments
%% awaited first, the sender awaits before the message leaves); the reply's reference.
post(Pid, Selector, Args0, Module) ->
    ok = reachable(Pid),
    Args = beamtalk_future:values(Args0),
    Ref = erlang:monitor(process, Pid, [{alias, reply_demonitor}]),
    erlang:send(Pid, {'$gen_call', {self(), [alias | Ref]},
                      {'$bt_send', Selector, Args, Module}}, [noconnect]),
    Ref.

%% An actor of another node: NodeDown when that node went away (LANGUAGE.md 3.8).
reachable(Pid) when erlang:node(Pid) =:= erlang:node() -> ok;
reachable(Pid) -> beamtalk_node:reconnect(erlang:node(Pid)).

handle_call({'$bt_send', Selector, Args, Module}, _From, State) ->
    serve(Selector, Args, Module, State);
handle_call({'$bt_send', Selector, Args}, _From, State) when is_atom(Selector), is_list(Args) ->
    serve(Selector, Args, beamtalk_dispatch:dispatch_module(Selector), State);
handle_call({send, Selector, Args}, _From, State) when is_atom(Selector), is_list(Args) ->
    serve(Selector, beamtalk_future:values(Args), beamtalk_dispatch:dispatch_module(Selector),
          State);
handle_call('$bt_stop', _From, State) ->
    {stop, normal, ok, State};
handle_call(_Other, _From, State) ->
    {reply, {error, beamtalk_error:new(internal_error,
                                       #{detail => <<"unknown request to an actor">>})}, State}.

handle_cast(_Msg, State) -> {noreply, State}.

%% Replies to this actor's own futures that it was not waiting for: settle them and run
%% their callbacks (between two messages, LANGUAGE.md 3.2).
handle_info({[alias | Ref], Reply}, State) when is_reference(Ref) ->
    settle_own(Ref, Reply),
    {noreply, State};
handle_info({'DOWN', Ref, process, _, Reason}, State) ->
    case get({'$bt_fut', Ref}) of
        {pending, _, Class} -> settle_own(Ref, {down, Class, Reason});
        _ -> ok
    end,
    {noreply, State};
handle_info(_Other, State) -> {noreply, State}.

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

serve(Selector, Args, Module, #{stops := Seen} = State) ->
    Counters = persistent_term:get(?GEN_KEY),
    case atomics:get(Counters, 2) of
        Seen -> serve_now(Selector, Args, Module, migrated(Counters, State));
        Now -> stop_asked(Selector, Args, Module, Counters, State#{stops := Now})
    end.

%% Stop requests were made since the last message: when this actor was asked to stop
%% (stop/1), the message it would start now, and every one queued after it, is rejected
%% (LANGUAGE.md 3.2).
stop_asked(Selector, Args, Module, Counters, State) ->
    case ets:member(?STOPS, self()) of
        true ->
            {'$actor', Class, _, _} = maps:get(self, State),
            {stop, normal, {error, beamtalk_error:new(actor_dead, #{class_name => Class})}, State};
        false -> serve_now(Selector, Args, Module, migrated(Counters, State))
    end.

serve_now(Selector, Args, Module, State) ->
    put(?STARTED, maps:get(gen, State)),
    Saved = get(?FIELDS),
    Reply = try answer(dispatch(Module, maps:get(self, State), Selector, Args))
            catch
                error:Reason:Trace ->
                    put(?FIELDS, Saved),
                    {error, beamtalk_handlers:strip(beamtalk_handlers:to_exception(Reason, Trace))};
                Kind:Reason:Trace ->
                    put(?FIELDS, Saved),
                    {error, beamtalk_handlers:to_exception({Kind, Reason}, Trace)}
            end,
    safely(fun beamtalk_future:run_callbacks/0),
    case get(?STOPPING) of
        true -> {stop, normal, Reply, State};
        _ -> {reply, Reply, State}
    end.

%% The message as a send to the actor itself (its dispatch clause for an actor in its own
%% process runs the method), a static call for up to three arguments; a selector without a
%% dispatch module yet goes the slow way.
dispatch(Module, Self, Selector, Args) ->
    try direct(Module, Self, Args)
    catch error:undef:Trace ->
            case Trace of
                [{Module, send, _, _} | _] -> beamtalk_dispatch:send(Self, Selector, Args);
                _ -> erlang:raise('error', undef, Trace)  % raised inside the method
            end
    end.

direct(Module, Self, []) -> Module:send(Self);
direct(Module, Self, [A]) -> Module:send(Self, A);
direct(Module, Self, [A, B]) -> Module:send(Self, A, B);
direct(Module, Self, [A, B, C]) -> Module:send(Self, A, B, C);
direct(Module, Self, Args) -> erlang:apply(Module, send, [Self | Args]).

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

migrated(Counters, #{gen := Gen} = State) ->
    case atomics:get(Counters, 1) of
        Gen -> State;
        Now ->
            {'$actor', Class, _, _} = maps:get(self, State),
            migrate(Class),
            State#{gen := Now}
    end.

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
    case erlang:process_info(Pid, initial_call) of
        {initial_call, {?MODULE, idle, 5}} -> true;
        {initial_call, _} ->  % gen_server:start(beamtalk_actor, ...)
            case erlang:process_info(Pid, dictionary) of
                {dictionary, D} -> lists:keymember(?SELF, 1, D);
                undefined -> false
            end;
        undefined -> false
    end.

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
    %% Messages queued before this request are not served (serve/4 looks here first); the
    %% request itself ends an actor that is idle.
    ets:insert(?STOPS, {Pid}),
    atomics:add(persistent_term:get(?GEN_KEY), 2, 1),
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
