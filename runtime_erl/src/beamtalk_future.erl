%% Futures (LANGUAGE.md 3.2): no process per future.  A send to an actor monitors it with
%% an alias (`reply_demonitor`), sends `{'$gen_call', {self(), [alias | Ref]}, Msg}` and
%% answers `{'$future', Ref, Owner}`; the actor's gen_server replies once with
%% `{[alias | Ref], {ok, Value} | {error, Exception}}`, or the monitor reports the actor's
%% end.  Awaiting is a selective receive on Ref (docs/native-backend.md, "Actors").
%%
%% The owner's process dictionary keeps each future's state, so it can await twice:
%%   {'$bt_fut', Ref}  => {pending, TargetPid, ClassName} | {resolved, V} | {rejected, Exc}
%%   '$bt_callbacks'   => [{Ref, resolved | rejected, Block}] in registration order
%% Callbacks run in the owner: at its next wait (await, Delay wait), or, in an actor,
%% between two of its messages.
-module(beamtalk_future).
-export([await/1, 'await:'/2, awaitForever/1, isResolved/1, isRejected/1, isPending/1,
         isFuture/1, 'whenResolved:'/2, 'whenRejected:'/2]).
-export([new/3, value/1, values/1, awaited/1, forward/3, resend/2, await/2, settle/2,
         run_callbacks/0, is_future/1, keep_keys/0, drain/0, prune/1, answer/1, reply_within/5,
         quick_ms/1, default_ms/0, resend_some/3, quick_ms/0, watch/0, watch_fired/1]).
-define(WATCH, '$bt_watch').  % this process's watch tick (watch/0)
-define(MONITOR, '$bt_monitor').  % beamtalk_actor:call/4's cached monitor
-define(REPLY, '$bt_reply').  % beamtalk_actor:call/4's reply tag

-define(DEFAULT_MS, 30000).
-define(DEADLOCK_MS, 100).  % waits shorter than this never look for a cycle
-define(WAITS, beamtalk_waits).
-define(CALLBACKS, '$bt_callbacks').

-spec new(reference(), pid(), atom()) -> tuple().
%% @doc Record a pending future of this process for a send to Pid (an actor of Class).
new(Ref, Pid, Class) ->
    put({'$bt_fut', Ref}, {pending, Pid, Class}),
    {'$future', Ref, self()}.

-spec is_future(term()) -> boolean().
is_future({'$future', _, _}) -> true;
is_future(_) -> false.

-define(PRUNE_ABOVE, 1000).

-spec prune(term()) -> ok.
%% @doc Forget the futures of this process that Roots (e.g. the top level's variables) no
%% longer reach, once there are many: they can never be used again.  Their replies are
%% dropped from the mailbox as they come (drain/0).
prune(Roots) ->
    drain(),
    Keys = [K || {K, _} <- get(), is_tuple(K), tuple_size(K) =:= 2, element(1, K) =:= '$bt_fut'],
    case length(Keys) > ?PRUNE_ABOVE of
        false -> ok;
        true ->
            Callbacks = case get(?CALLBACKS) of
                            undefined -> [];
                            L -> L
                        end,
            Live = reachable({Roots, Callbacks}, #{}),
            [erase(K) || {'$bt_fut', Ref} = K <- Keys, not maps:is_key(Ref, Live)],
            ok
    end.

reachable({'$future', Ref, _}, Acc) -> Acc#{Ref => true};
reachable(X, Acc) when is_list(X) -> reachable_list(X, Acc);
reachable(X, Acc) when is_tuple(X) -> reachable_list(tuple_to_list(X), Acc);
reachable(X, Acc) when is_map(X) -> reachable_list(maps:to_list(X), Acc);
reachable(X, Acc) when is_reference(X) -> Acc#{X => true};  % a callback's key
reachable(X, Acc) when is_function(X) ->  % a block: what it captured
    case erlang:fun_info(X, env) of
        {env, Captured} -> reachable_list(Captured, Acc);
        _ -> Acc
    end;
reachable(_, Acc) -> Acc.

reachable_list([H | T], Acc) -> reachable_list(T, reachable(H, Acc));
reachable_list(_, Acc) -> Acc.

-spec keep_keys() -> [term()].
%% @doc The process-dictionary keys of futures (the top level keeps them between statements).
keep_keys() ->
    [K || {K, _} <- get(), is_tuple(K), tuple_size(K) =:= 2, element(1, K) =:= '$bt_fut']
        ++ [?CALLBACKS, ?WATCH, ?MONITOR].

%% ---------------------------------------------------------------- the protocol

await(F) -> await(F, ?DEFAULT_MS).

-spec default_ms() -> non_neg_integer().
%% @doc How long `await` waits (LANGUAGE.md 3.2).
default_ms() -> ?DEFAULT_MS.

'await:'(F, Ms) when is_integer(Ms), Ms >= 0 -> await(F, min(Ms, 1 bsl 40));
'await:'(F, Ms) when is_float(Ms), Ms >= 0 -> await(F, round(min(Ms, 1.0e12)));
'await:'(F, {'$future', _, _} = Ms) -> 'await:'(F, await(Ms));
'await:'(F, Ms) when is_integer(Ms); is_float(Ms) -> await(F, 0);
'await:'(_, Other) ->
    beamtalk_error:raise(expects_number, #{selector => 'await:',
                                           kind => beamtalk_value:kind_name(Other)}).

awaitForever(F) -> await(F, infinity).

isResolved(F) -> element(1, state(F)) =:= resolved.
isRejected(F) -> element(1, state(F)) =:= rejected.
isPending(F) -> element(1, state(F)) =:= pending.
isFuture(_) -> true.

'whenResolved:'(F, Block) -> 'when'(F, resolved, Block).
'whenRejected:'(F, Block) -> 'when'(F, rejected, Block).

-spec await({'$future', reference(), pid()}, non_neg_integer() | infinity) -> term().
%% @doc Wait for the answer (at most Ms); the value, or a copy of the error signalled here.
await({'$future', Ref, Owner}, Ms) ->
    owned(Owner),
    Result = case get({'$bt_fut', Ref}) of
                 {pending, Pid, Class} -> wait(Ref, Pid, Class, Ms);
                 Done -> Done
             end,
    delivered(Result).

%% What an await answers once its result is known: the callbacks of this process that are
%% due run first (as at any wait), then the value, or the error signalled here.
delivered(Result) ->
    run_callbacks(),
    case Result of
        {resolved, V} -> V;
        {rejected, Exc} -> beamtalk_handlers:signal(Exc)
    end.

owned(Owner) when Owner =:= self() -> ok;
owned(_) -> beamtalk_error:raise(future_not_owned, #{}).

%% The state now (a reply already in the mailbox settles it first).
state({'$future', Ref, Owner}) ->
    owned(Owner),
    case get({'$bt_fut', Ref}) of
        {pending, _, Class} ->
            receive
                {[alias | Ref], Reply} -> settle(Ref, Reply);
                {'DOWN', Ref, process, _, Reason} -> settle(Ref, {down, Class, Reason})
            after 0 -> {pending}
            end;
        Done -> Done
    end.

-spec settle(reference(), term()) -> {resolved, term()} | {rejected, tuple()}.
%% @doc Record a future's answer (a reply, or {down, Class, Reason} from its monitor).
settle(Ref, Reply) ->
    Result = outcome(Reply),
    put({'$bt_fut', Ref}, Result),
    Result.

outcome({ok, V}) -> {resolved, V};
outcome({error, Exc}) -> {rejected, Exc};
outcome({down, Class, _}) -> {rejected, beamtalk_error:new(actor_dead, #{class_name => Class})}.

-spec answer(term()) -> term().
%% @doc What an await answers for a reply that was never recorded as a future (the send
%% and the await in one function, beamtalk_actor:call/4).
answer({ok, V}) ->  % the common case, without the outcome's tuple
    run_callbacks(),
    V;
answer(Reply) -> delivered(outcome(Reply)).

-spec quick_ms(non_neg_integer() | infinity) -> non_neg_integer().
%% @doc How long an await waits before it looks for deadlocks.
quick_ms(Ms) -> min(wait_ms(Ms), ?DEADLOCK_MS).

-spec quick_ms() -> non_neg_integer().
%% @doc quick_ms/1 of the default wait (30 s).
quick_ms() -> ?DEADLOCK_MS.

-spec watch() -> ok.
%% @doc This process's watch tick: a timer of DEADLOCK_MS, started when none is pending, that
%% sends `{timeout, Tick, '$bt_watch'}` here.  beamtalk_actor:call/4 waits for a reply or a
%% tick, so a round trip costs no timer of its own (one timer serves every wait of up to
%% DEADLOCK_MS; a timer per wait cost about a tenth of a round trip).  A tick that arrives
%% while no such wait runs stays queued and ends the next wait's quick phase at once (that
%% wait then goes on as an ordinary await), or, in an actor, is taken by its loop
%% (watch_fired/1).  The pending tick is one of the keys the top level keeps (keep_keys/0);
%% code that takes every message of a process (a catch-all receive) must hand a tick it
%% takes to watch_fired/1, or that process's fused awaits lose their timeout.
watch() ->
    case get(?WATCH) of
        undefined -> put(?WATCH, erlang:start_timer(?DEADLOCK_MS, self(), ?WATCH)), ok;
        _ -> ok
    end.

-spec watch_fired({timeout, reference(), '$bt_watch'}) -> ok.
%% @doc The tick arrived: the next wait starts another.
watch_fired({timeout, Tick, ?WATCH}) ->
    case get(?WATCH) of
        Tick -> _ = erase(?WATCH), ok;
        _ -> ok
    end.

-spec reply_within(term(), reference(), pid(), atom(), non_neg_integer() | infinity) ->
          {ok, term()} | {error, tuple()} | {down, atom(), term()}.
%% @doc The reply tagged Tag to a message sent to Pid (an actor of Class, watched by the
%% monitor Mon), or {down, Class, Reason} when the monitor reports its end, waiting at most
%% Ms: after quick_ms(Ms) the wait looks for deadlocks; no reply by then signals
%% TimeoutError.  Futures use it with the alias reply tag (wait_for/4), and
%% beamtalk_actor:call/4 for the rest of a wait that outlasted its watch tick.
reply_within(Tag, Mon, Pid, Class, Ms) ->
    receive
        {Tag, Reply} -> Reply;
        {'DOWN', Mon, process, _, Reason} -> {down, Class, Reason}
    after quick_ms(Ms) -> waited(Tag, Mon, Pid, Class, Ms)
    end.

%% Replies already in the mailbox are moved into the dictionary first, each once: a
%% process that sent many messages before awaiting them does not rescan them all at every
%% await (the receive below cannot use the mailbox marker of a reference made elsewhere).
wait(Ref, Pid, Class, Ms) ->
    drain(),
    case get({'$bt_fut', Ref}) of
        {pending, _, _} -> wait_for(Ref, Pid, Class, Ms);
        Done -> Done
    end.

-spec drain() -> ok.
%% @doc Settle the futures of this process whose replies have arrived (other replies that
%% arrive through an alias, for futures this process no longer tracks, are dropped).
drain() ->
    Mon = case get(?MONITOR) of
              {_, M} -> M;
              undefined -> none
          end,
    drain(Mon).

%% Also dropped: a reply to beamtalk_actor:call/4 that came after its wait ended (a
%% TimeoutError or DeadlockError), and the DOWN of its cached monitor (the monitor is
%% forgotten: the next wait makes a new one).
drain(Mon) ->
    receive
        {[alias | Ref], Reply} when is_reference(Ref) ->
            case get({'$bt_fut', Ref}) of
                {pending, _, _} -> _ = settle(Ref, Reply);
                _ -> ok
            end,
            drain(Mon);
        {[?REPLY | Ref], _} when is_reference(Ref) -> drain(Mon);
        {'DOWN', Mon, process, _, _} ->
            _ = erase(?MONITOR),
            drain(none)
    after 0 -> ok
    end.

wait_for(Ref, Pid, Class, Ms) -> settle(Ref, reply_within([alias | Ref], Ref, Pid, Class, Ms)).

%% The rest of a wait after its first quick_ms(Ms).
waited(Tag, Mon, Pid, Class, Ms) ->
    Deadline = case Ms of
                   infinity -> infinity;
                   _ -> now_ms() + wait_ms(Ms) - ?DEADLOCK_MS
               end,
    case expired(Deadline) of
        true -> no_reply(Ms);
        false -> watched_wait(Tag, Mon, Pid, Class, Deadline, Ms)
    end.

wait_ms(infinity) -> infinity;
wait_ms(Ms) when is_float(Ms) -> ceil(Ms);
wait_ms(Ms) -> Ms.

now_ms() -> erlang:monotonic_time(millisecond).

expired(infinity) -> false;
expired(Deadline) -> now_ms() >= Deadline.

no_reply(Ms) -> beamtalk_error:raise(no_reply, #{ms => ms_text(Ms)}).

ms_text(Ms) when is_float(Ms), Ms == trunc(Ms) -> integer_to_binary(trunc(Ms));
ms_text(Ms) when is_float(Ms) -> beamtalk_print:print_string(Ms);
ms_text(Ms) -> integer_to_binary(Ms).

%% A wait past 100 ms records its edge in the wait table and looks for a cycle every 100 ms
%% (ARCHITECTURE.md: nothing is added to waits that finish sooner).
watched_wait(Tag, Mon, Pid, Class, Deadline, Ms) ->
    ets:insert(?WAITS, {self(), Pid, Class}),
    try watch(Tag, Mon, Pid, Class, Deadline, Ms)
    after ets:delete(?WAITS, self())
    end.

watch(Tag, Mon, Pid, Class, Deadline, Ms) ->
    case beamtalk_waits:cycle(Pid, [Class]) of
        {cycle, Names} ->
            Me = case beamtalk_actor:current_class() of
                     none -> <<"the top level">>;
                     Name -> atom_to_binary(Name)
                 end,
            Text = lists:join(<<" waits for ">>, [Me | [atom_to_binary(N) || N <- Names]]),
            beamtalk_error:raise(deadlock, #{cycle => iolist_to_binary(Text)});
        none -> ok
    end,
    Left = case Deadline of
               infinity -> ?DEADLOCK_MS;
               _ -> max(0, min(?DEADLOCK_MS, Deadline - now_ms()))
           end,
    receive
        {Tag, Reply} -> Reply;
        {'DOWN', Mon, process, _, Reason} -> {down, Class, Reason}
    after Left ->
            case expired(Deadline) of
                true -> no_reply(Ms);
                false -> watch(Tag, Mon, Pid, Class, Deadline, Ms)
            end
    end.

%% ---------------------------------------------------------------- callbacks

'when'({'$future', Ref, Owner} = F, Kind, Block) ->
    owned(Owner),
    Callbacks = case get(?CALLBACKS) of
                    undefined -> [];
                    L -> L
                end,
    put(?CALLBACKS, Callbacks ++ [{Ref, Kind, Block}]),
    _ = state(F),
    run_callbacks(),
    F.

-spec run_callbacks() -> ok.
%% @doc Run the callbacks of every future of this process that has settled (once each).
run_callbacks() ->
    case get(?CALLBACKS) of
        undefined -> ok;
        [] -> ok;
        Callbacks ->
            Ready = [Ref || Ref <- lists:usort([R || {R, _, _} <- Callbacks]),
                            settled(Ref)],
            case Ready of
                [] -> ok;
                _ ->
                    {Run, Keep} = lists:partition(fun({R, _, _}) -> lists:member(R, Ready) end,
                                                  Callbacks),
                    put(?CALLBACKS, Keep),
                    lists:foreach(fun({R, Kind, Block}) ->
                                          case get({'$bt_fut', R}) of
                                              {Kind, V} -> callback(Block, V);
                                              _ -> ok
                                          end
                                  end, Run),
                    run_callbacks()
            end
    end.

%% An error a callback does not handle is reported on standard error and goes no further:
%% it is neither the awaiting statement's error nor the next message's (as the interpreter).
callback(Block, V) ->
    try beamtalk_block:cull(Block, V)
    catch error:Reason:Trace ->
            Exc = beamtalk_handlers:to_exception(Reason, Trace),
            beamtalk_io:warn([<<"ERROR in a callback: ">>, beamtalk_error:message_text(Exc),
                              $\n])
    end.

settled(Ref) ->
    case get({'$bt_fut', Ref}) of
        {pending, _, Class} ->
            receive
                {[alias | Ref], Reply} -> _ = settle(Ref, Reply), true;
                {'DOWN', Ref, process, _, Reason} -> _ = settle(Ref, {down, Class, Reason}), true
            after 0 -> false
            end;
        undefined -> false;
        _ -> true
    end.

%% ---------------------------------------------------------------- await on use

-spec value(term()) -> term().
%% @doc A value: a future is awaited first (LANGUAGE.md 3.2, "wherever a value is needed").
value({'$future', _, _} = F) -> await(F);
value(X) -> X.

-spec values([term()]) -> [term()].
values(Args) -> [value(A) || A <- Args].

-spec awaited(term()) -> term().
%% @doc What `await` sent to V answers, as the interpreter's model and supervisor primitives
%% send it (a future's value; an object that is no future may answer `await` itself).
awaited(V) when is_atom(V); is_binary(V); is_number(V) -> V;
awaited(V) -> beamtalk_dispatch:send(V, await, []).

-spec forward(tuple(), atom(), [term()]) -> term().
%% @doc A message outside the future protocol: await, then send it to the value.
forward(F, Selector, Args) -> beamtalk_dispatch:send(await(F), Selector, Args).

-spec resend(atom(), [term()]) -> term().
%% @doc A primitive operation given a future argument: await the arguments, send again.
resend(Selector, [Receiver | Args]) -> beamtalk_dispatch:send(Receiver, Selector, values(Args)).

-spec resend_some(atom(), [pos_integer()], [term()]) -> term().
%% @doc A collection primitive given a future where it needs a value: await the arguments at
%% these (1-based) positions, send again (beamtalk_dispatch_gen:awaited_arguments/1).
resend_some(Selector, Positions, [Receiver | Args]) ->
    Given = [case lists:member(I, Positions) of
                 true -> value(A);
                 false -> A
             end || {I, A} <- lists:zip(lists:seq(1, length(Args)), Args)],
    beamtalk_dispatch:send(Receiver, Selector, Given).
