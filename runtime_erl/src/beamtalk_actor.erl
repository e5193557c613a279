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
-export([spawn/2, send/3, stale_send/3, field/1, set_field/2, current_class/0, kill_all/0, init_tables/0,
         generation/0, bump_generation/0, ensure_generation/0, is_actor_pid/1]).
-export([class/1, printString/1, displayString/1, '='/2, '~='/2, '=='/2, '~~'/2, hash/1,
         isNil/1, notNil/1, yourself/1, isAlive/1, stop/1, kill/1, await/1, 'await:'/2,
         awaitForever/1, isFuture/1]).
-export([init/1, handle_call/3, handle_cast/2, handle_info/2]).

-define(FIELDS, '$bt_fields').
-define(SELF, '$bt_self').
-define(STOPPING, '$bt_stopping').
-define(STARTED, '$bt_gen').  % the generation when the running message started
-define(GEN_KEY, beamtalk_generation).
%% An actor's heap limit in words: runaway recursion ends the actor (its callers see
%% ActorDead, LANGUAGE.md 8) instead of exhausting the machine.
-define(MAX_HEAP_WORDS, 1 bsl 25).

%% ---------------------------------------------------------------- tables and generation

-spec init_tables() -> ok.
%% @doc Create the wait-edge table (deadlock detection) and the generation counter; called
%% by the registry's server, which owns them.
init_tables() ->
    case ets:whereis(beamtalk_waits) of
        undefined -> ets:new(beamtalk_waits, [named_table, public, set,
                                              {write_concurrency, true}]);
        _ -> ok
    end,
    ensure_generation().

-spec ensure_generation() -> ok.
ensure_generation() ->
    case persistent_term:get(?GEN_KEY, undefined) of
        undefined -> persistent_term:put(?GEN_KEY, atomics:new(1, [])), ok;
        _ -> ok
    end.

-spec generation() -> integer().
%% @doc The registry's class generation (changes when a class is (re)defined).
generation() -> atomics:get(persistent_term:get(?GEN_KEY), 1).

-spec bump_generation() -> ok.
bump_generation() -> atomics:add(persistent_term:get(?GEN_KEY), 1, 1).

%% ---------------------------------------------------------------- spawning

-spec spawn(atom(), map()) -> tuple().
%% @doc `Cls spawn` / `spawnWith:`: the fields (defaults evaluated here, in declaration
%% order, given fields skipping theirs), the process, then `initialize` inside it.
spawn(Class, Given) ->
    Fields = beamtalk_object:field_values(Class, Given),
    Serial = erlang:unique_integer([monotonic, positive]),
    {ok, Pid} = gen_server:start(?MODULE, {Class, Fields, Serial},
                                 [{spawn_opt, [{max_heap_size,
                                                #{size => ?MAX_HEAP_WORDS, kill => true,
                                                  error_logger => false}}]}]),
    Actor = {'$actor', Class, Pid, Serial},
    case beamtalk_dispatch:resolve_instance(Class, initialize) of
        dnu -> Actor;
        _ ->
            try beamtalk_future:await(send(Actor, initialize, []), infinity) of
                _ -> Actor
            catch Kind:Reason:Trace ->
                    exit(Pid, kill),
                    erlang:raise(Kind, Reason, Trace)
            end
    end.

init({Class, Fields, Serial}) ->
    Self = {'$actor', Class, self(), Serial},
    put(?SELF, Self),
    put(?FIELDS, Fields),
    {ok, #{self => Self, gen => generation()}, hibernate}.

%% ---------------------------------------------------------------- sending

-spec send(tuple(), atom(), [term()]) -> tuple().
%% @doc A message to an actor from outside its process: a future at once.  Futures among
%% the arguments are awaited first (the sender awaits before the message leaves).
send({'$actor', Class, Pid, _}, Selector, Args0) ->
    Args = beamtalk_future:values(Args0),
    Ref = erlang:monitor(process, Pid, [{alias, reply_demonitor}]),
    erlang:send(Pid, {'$gen_call', {self(), [alias | Ref]}, {'$bt_send', Selector, Args}},
                [noconnect]),
    beamtalk_future:new(Ref, Pid, Class).

handle_call({'$bt_send', Selector, Args}, _From, State) ->
    serve(Selector, Args, State);
handle_call({send, Selector, Args}, _From, State) when is_atom(Selector), is_list(Args) ->
    serve(Selector, beamtalk_future:values(Args), State);
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

serve(Selector, Args, State0) ->
    State = migrated(State0),
    put(?STARTED, maps:get(gen, State)),
    Saved = get(?FIELDS),
    Reply = try answer(beamtalk_dispatch:send(maps:get(self, State), Selector, Args))
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

migrated(#{gen := Gen} = State) ->
    case generation() of
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
    case erlang:process_info(Pid, dictionary) of
        {dictionary, D} -> lists:keymember(?SELF, 1, D);
        undefined -> false
    end.

-spec kill_all() -> ok.
%% @doc End every actor of this node (the runner's reset: nothing leaks between files).
kill_all() ->
    Actors = [P || P <- erlang:processes(), P =/= self(), is_actor_pid(P)],
    Refs = [erlang:monitor(process, P) || P <- Actors],
    [exit(P, kill) || P <- Actors],
    [receive {'DOWN', R, process, _, _} -> ok end || R <- Refs],
    ets:delete_all_objects(beamtalk_waits),
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
isAlive({'$actor', _, Pid, _}) -> is_process_alive(Pid).

%% `stop` from outside waits until the current message has finished and the actor has
%% ended; from inside, the actor ends after the current message.
stop({'$actor', _, Pid, _}) when Pid =:= self() ->
    put(?STOPPING, true),
    ok;
stop({'$actor', _, Pid, _}) ->
    Ref = erlang:monitor(process, Pid),
    _ = (catch gen_server:call(Pid, '$bt_stop', infinity)),
    receive {'DOWN', Ref, process, _, _} -> ok end.

%% `kill` ends the actor at once; its running message and queued ones are rejected
%% (their senders' monitors report the end: ActorDead).
kill({'$actor', _, Pid, _}) when Pid =:= self() -> exit(self(), kill);
kill({'$actor', _, Pid, _}) ->
    Ref = erlang:monitor(process, Pid),
    exit(Pid, kill),
    receive {'DOWN', Ref, process, _, _} -> ok end.
