%% Actors and futures (beamtalk_actor, beamtalk_future): spawning, sends answering futures,
%% awaiting twice, rollback of fields, the gen_server protocol for Erlang callers, stop and
%% kill, ownership, callbacks, deadlock detection, field migration and live redefinition.
-module(beamtalk_actor_tests).
-include_lib("eunit/include/eunit.hrl").

%% An actor class as compiler_bt emits it (fields through beamtalk_actor).
-define(COUNTER, "
-module('bt@Counter').
-export(['$class_info'/0, '$default'/1, '$class_default'/1, increment/1, getValue/1,
         'failAfter:'/2, 'callBack:'/2, 'echoBack:'/2, 'relay:'/2, label/1, 'nap:'/2]).
'$class_info'() ->
    #{name => 'Counter', superclass => 'Actor', kind => actor, modifier => none, doc => nil,
      fields => [value], defaults => [value], class_vars => [], class_var_defaults => [],
      methods => [m(increment, 1), m(getValue, 1), m('failAfter:', 2), m('callBack:', 2),
                  m('echoBack:', 2), m('relay:', 2), m(label, 1), m('nap:', 2)],
      class_methods => []}.
m(S, A) -> #{selector => S, function => S, arity => A, source => <<>>, doc => nil,
             sealed => false, primitive => none, fallback => none}.
'$default'(value) -> 0.
'$class_default'(_) -> nil.
increment(Self) ->
    beamtalk_actor:set_field(value, beamtalk_object:field(Self, value) + 1).
getValue(Self) -> beamtalk_object:field(Self, value).
'failAfter:'(_Self, N) ->
    beamtalk_actor:set_field(value, N),
    beamtalk_error:raise(error_text, #{text => <<\"boom\">>}).
'callBack:'(Self, Other) -> beamtalk_future:await('bt@sel@echoBack:':send(Other, Self)).
'echoBack:'(_Self, Caller) -> beamtalk_future:await('bt@sel@getValue':send(Caller)).
'relay:'(_Self, Other) -> 'bt@sel@getValue':send(Other).
label(Self) -> {'bt@sel@version':send(Self), beamtalk_object:field(Self, value)}.
'nap:'(_Self, Ms) -> timer:sleep(Ms), Ms.
").

%% The same class redefined with one more field (`extra`, default 7).
-define(COUNTER2, "
-module('bt@Counter').
-export(['$class_info'/0, '$default'/1, '$class_default'/1, getValue/1, extra/1]).
'$class_info'() ->
    #{name => 'Counter', superclass => 'Actor', kind => actor, modifier => none, doc => nil,
      fields => [value, extra], defaults => [value, extra], class_vars => [],
      class_var_defaults => [],
      methods => [#{selector => getValue, function => getValue, arity => 1, source => <<>>,
                    doc => nil, sealed => false, primitive => none, fallback => none},
                  #{selector => extra, function => extra, arity => 1, source => <<>>,
                    doc => nil, sealed => false, primitive => none, fallback => none}],
      class_methods => []}.
'$default'(value) -> 0;
'$default'(extra) -> 7.
'$class_default'(_) -> nil.
getValue(Self) -> beamtalk_object:field(Self, value).
extra(Self) -> beamtalk_object:field(Self, extra).
").

setup() ->
    beamtalk_fixture:fresh(),
    beamtalk_fixture:load_class(?COUNTER),
    ok.

cleanup(_) ->
    beamtalk_actor:kill_all(),
    beamtalk_classes:reset().

actor_test_() ->
    {foreach, fun setup/0, fun cleanup/1,
     [fun send_answers_a_future/0, fun rollback/0, fun erlang_callers/0, fun otp_tools/0,
      fun fused_await_watch/0, fun fused_await_monitor/0,
      fun stop_and_kill/0,
      fun ownership/0, fun callbacks/0, fun future_answers_are_awaited/0,
      {timeout, 30, fun deadlock/0}, fun migration/0,
      {timeout, 300, fun live_redefinition_keeps_actors/0}]}.

counter() -> beamtalk_actor:spawn('Counter', #{}).

send_answers_a_future() ->
    C = counter(),
    ?assertMatch({'$actor', 'Counter', _, _}, C),
    F = 'bt@sel@increment':send(C),
    ?assertMatch({'$future', _, _}, F),
    ?assertEqual(1, beamtalk_future:await(F)),
    ?assertEqual(1, beamtalk_future:await(F)),  % the owner may await twice
    ?assert(beamtalk_future:isResolved(F)),
    ?assertEqual(1, beamtalk_future:await('bt@sel@getValue':send(C))),
    ?assertEqual(5, beamtalk_future:await(
                      beamtalk_actor:send(beamtalk_actor:spawn('Counter', #{value => 4}),
                                          increment, []))).

rollback() ->
    C = counter(),
    F = beamtalk_actor:send(C, 'failAfter:', [99]),
    ?assertError({'$exc', 'Error', _}, beamtalk_future:await(F)),
    ?assert(beamtalk_future:isRejected(F)),
    %% the field written before the error is put back, and the actor goes on
    ?assertEqual(0, beamtalk_future:await(beamtalk_actor:send(C, getValue, []))).

erlang_callers() ->
    {'$actor', _, Pid, _} = C = counter(),
    ?assertEqual({ok, 1}, gen_server:call(Pid, {send, increment, []})),
    ?assertEqual({ok, 1}, gen_server:call(Pid, {send, getValue, []})),
    {error, Exc} = gen_server:call(Pid, {send, 'failAfter:', [3]}),
    ?assertEqual(<<"boom">>, beamtalk_error:message_text(Exc)),
    {error, Dnu} = gen_server:call(Pid, {send, frobnicate, []}),
    ?assertEqual(does_not_understand, beamtalk_error:kind(Dnu)),
    ?assertEqual(1, beamtalk_future:await(beamtalk_actor:send(C, getValue, []))).

%% The actor runs its own loop: OTP's system messages still work on it as on a gen_server.
otp_tools() ->
    {'$actor', _, Pid, _} = C = counter(),
    ?assertEqual({ok, 1}, gen_server:call(Pid, {send, increment, []})),
    ?assertEqual(#{self => C, fields => #{value => 1}}, sys:get_state(Pid)),
    {status, Pid, {module, _}, _} = sys:get_status(Pid),
    ok = sys:suspend(Pid),
    F = beamtalk_actor:send(C, increment, []),
    ?assert(beamtalk_future:isPending(F)),  % a suspended actor serves nothing
    ok = sys:resume(Pid),
    ?assertEqual(2, beamtalk_future:await(F)),
    _ = sys:replace_state(Pid, fun(#{fields := Fs} = S) -> S#{fields := Fs#{value := 10}} end),
    ?assertEqual({ok, 10}, gen_server:call(Pid, {send, getValue, []})),
    ?assertMatch({error, {'$exc', _, _}}, gen_server:call(Pid, something_else)),
    gen_server:cast(Pid, ignored),
    Pid ! stray,
    ?assertEqual({ok, 10}, gen_server:call(Pid, {send, getValue, []})),
    ?assertEqual(ok, gen_server:stop(Pid)),
    ?assertNot(is_process_alive(Pid)).

%% beamtalk_actor:call/4 (a send awaited at once) waits on the process's watch tick when the
%% mailbox is short, on a timer of its own when it is long; either way it answers the same
%% and leaves no future and no message behind.
fused_await_watch() ->
    C = counter(),
    Call = fun(Sel, Args) -> beamtalk_actor:call(C, Sel, Args,
                                                 beamtalk_dispatch:dispatch_module(Sel)) end,
    ?assertEqual(1, Call(increment, [])),
    Tick = get('$bt_watch'),
    ?assert(is_reference(Tick)),
    %% the tick fires between two waits (taken here when it comes, and put back): the next
    %% wait takes it and still answers
    receive {timeout, Tick, '$bt_watch'} = Fired -> self() ! Fired end,
    ?assertMatch([_], ticks()),
    ?assertEqual(2, Call(increment, [])),
    %% a wait longer than the tick goes on as an ordinary await
    ?assertEqual(250, Call('nap:', [250])),
    %% a long mailbox: the wait has a timer of its own and skips what was queued
    [self() ! {queued, I} || I <- lists:seq(1, 20)],
    ?assertEqual(3, Call(increment, [])),
    [receive {queued, I} -> ok end || I <- lists:seq(1, 20)],
    ?assertEqual(3, Call(getValue, [])),
    ?assertEqual([], ticks()),
    ?assertEqual([], [K || {{'$bt_fut', _} = K, _} <- get()]),
    %% an actor's loop takes a tick that arrives between its messages
    {'$actor', _, Pid, _} = C,
    Pid ! {timeout, make_ref(), '$bt_watch'},
    ?assertEqual(3, Call(getValue, [])).

%% beamtalk_actor:call/4 keeps one monitor (of the actor it last awaited at once) instead of
%% one per round trip: the monitors never pile up, an actor's end still ends the wait with
%% ActorDead (also when its DOWN was taken by other code), and nothing is left behind.
fused_await_monitor() ->
    A = counter(),
    B = counter(),
    Call = fun(Actor, Sel, Args) -> beamtalk_actor:call(Actor, Sel, Args,
                                                        beamtalk_dispatch:dispatch_module(Sel))
           end,
    [Call(A, increment, []) || _ <- lists:seq(1, 100)],
    ?assertEqual(100, Call(A, getValue, [])),
    ?assertEqual(1, monitors()),
    [Call(Actor, getValue, []) || _ <- lists:seq(1, 50), Actor <- [A, B]],
    ?assertEqual(1, monitors()),
    %% the actor ends while it serves the wait
    {'$actor', _, PidA, _} = A,
    spawn(fun() -> timer:sleep(20), exit(PidA, kill) end),
    ?assertEqual(actor_dead, kind_of(fun() -> Call(A, 'nap:', [5000]) end)),
    ?assertEqual(0, monitors()),
    %% the actor ended between two waits: its DOWN was queued meanwhile
    ?assertEqual(0, Call(B, getValue, [])),
    ok = beamtalk_actor:kill(B),
    ?assertEqual(actor_dead, kind_of(fun() -> Call(B, getValue, []) end)),
    %% ... or taken by other code: the wait ends at its watch tick, with a new monitor
    C = counter(),
    ?assertEqual(0, Call(C, getValue, [])),
    {'$actor', _, PidC, _} = C,
    ok = beamtalk_actor:kill(C),
    receive {'DOWN', _, process, PidC, _} -> ok end,
    ?assertEqual(actor_dead, kind_of(fun() -> Call(C, getValue, []) end)),
    ?assertEqual(0, monitors()),
    %% a reply that comes after its wait ended is dropped, as is the DOWN of the monitor
    D = counter(),
    ?assertEqual(0, Call(D, getValue, [])),
    ok = beamtalk_actor:kill(D),
    self() ! {['$bt_reply' | make_ref()], {ok, late}},
    beamtalk_future:drain(),
    ?assertEqual([], [M || M <- element(2, process_info(self(), messages)),
                           element(1, M) =/= timeout]),
    ?assertEqual(0, monitors()).

monitors() ->
    {monitors, Monitors} = process_info(self(), monitors),
    length(Monitors).

ticks() ->
    {messages, Messages} = process_info(self(), messages),
    [M || {timeout, _, '$bt_watch'} = M <- Messages].

stop_and_kill() ->
    C = counter(),
    ?assert(beamtalk_actor:isAlive(C)),
    ?assertEqual(ok, beamtalk_actor:stop(C)),
    ?assertNot(beamtalk_actor:isAlive(C)),
    ?assertEqual(ok, beamtalk_actor:stop(C)),  % idempotent
    Dead = beamtalk_actor:send(C, getValue, []),
    ?assertEqual(actor_dead, kind_of(fun() -> beamtalk_future:await(Dead) end)),
    K = counter(),
    ?assertEqual(ok, beamtalk_actor:kill(K)),
    ?assertNot(beamtalk_actor:isAlive(K)),
    ?assertEqual(actor_dead,
                 kind_of(fun() -> beamtalk_future:await(beamtalk_actor:send(K, increment, [])) end)).

ownership() ->
    C = counter(),
    F = beamtalk_actor:send(C, getValue, []),
    Self = self(),
    spawn(fun() -> Self ! {other, kind_of(fun() -> beamtalk_future:await(F) end)} end),
    receive {other, Kind} -> ?assertEqual(future_not_owned, Kind) end,
    ?assertEqual(0, beamtalk_future:await(F)).

callbacks() ->
    C = counter(),
    F = beamtalk_actor:send(C, increment, []),
    Self = self(),
    beamtalk_future:'whenResolved:'(F, fun(V) -> Self ! {resolved, V} end),
    beamtalk_future:'whenRejected:'(F, fun(E) -> Self ! {rejected, E} end),
    ?assertEqual(1, beamtalk_future:await(F)),  % callbacks run at the await, once
    ?assertEqual(1, beamtalk_future:await(F)),
    Got = collect_messages(),
    ?assertEqual([{resolved, 1}], Got).

future_answers_are_awaited() ->
    A = counter(),
    B = beamtalk_actor:spawn('Counter', #{value => 41}),
    %% relay: answers B's future; the actor awaits it before replying
    ?assertEqual(41, beamtalk_future:await(beamtalk_actor:send(A, 'relay:', [B]))),
    %% an argument that is a future is awaited before the message leaves
    Arg = beamtalk_actor:send(B, getValue, []),
    ?assertEqual(41, beamtalk_future:await(beamtalk_actor:send(A, 'relay:', [B]))),
    ?assertEqual(41, beamtalk_future:value(Arg)).

deadlock() ->
    A = counter(),
    B = counter(),
    %% A awaits B, which awaits A: B closes the cycle and gets DeadlockError; A then gets it too
    F = beamtalk_actor:send(A, 'callBack:', [B]),
    ?assertEqual(deadlock, kind_of(fun() -> beamtalk_future:await(F) end)),
    ?assert(beamtalk_actor:isAlive(A)),
    ?assert(beamtalk_actor:isAlive(B)),
    ?assertEqual([], ets:tab2list(beamtalk_waits)).

migration() ->
    C = beamtalk_actor:spawn('Counter', #{value => 5}),
    ?assertEqual(5, beamtalk_future:await(beamtalk_actor:send(C, getValue, []))),
    beamtalk_fixture:load_class(?COUNTER2),
    %% the kept field keeps its value, the new one gets its default
    ?assertEqual(5, beamtalk_future:await(beamtalk_actor:send(C, getValue, []))),
    ?assertEqual(7, beamtalk_future:await(beamtalk_actor:send(C, extra, []))).

%% Issue 14: 1,000 redefinitions while 100 actors keep serving messages; none is killed.
live_redefinition_keeps_actors() ->
    Actors = [beamtalk_actor:spawn('Counter', #{value => I}) || I <- lists:seq(1, 100)],
    beamtalk_fixture:load_method(version_method(0)),
    Self = self(),
    Client = spawn_link(fun() -> serve_loop(Actors, Self, 0) end),
    [beamtalk_fixture:load_method(version_method(N)) || N <- lists:seq(1, 1000)],
    Client ! stop,
    Served = receive {served, S} -> S end,
    ?assert(Served > 0),
    ?assert(lists:all(fun beamtalk_actor:isAlive/1, Actors)),
    %% every actor answers with the latest version now
    [?assertEqual({1000, I}, beamtalk_future:await(beamtalk_actor:send(A, label, [])))
     || {I, A} <- lists:zip(lists:seq(1, 100), Actors)].

serve_loop(Actors, Parent, Count) ->
    receive stop -> Parent ! {served, Count}
    after 0 ->
            Fs = [beamtalk_actor:send(A, label, []) || A <- Actors],
            [{_, _} = beamtalk_future:await(F) || F <- Fs],
            timer:sleep(5),  % leave the redefinitions some of the machine's two cores
            serve_loop(Actors, Parent, Count + length(Fs))
    end.

version_method(N) ->
    "-module('bt@Counter@>>').\n"
    "-export(['$method_info'/0, version/1]).\n"
    "'$method_info'() -> #{class => 'Counter', side => instance, info => #{selector => version,"
    " function => version, arity => 1, source => <<>>, doc => nil, sealed => false,"
    " primitive => none, fallback => none}}.\n"
    "version(_) -> " ++ integer_to_list(N) ++ ".\n".

kind_of(Fun) ->
    try Fun() of
        V -> {no_error, V}
    catch error:{'$exc', _, _} = E -> beamtalk_error:kind(E)
    end.

collect_messages() ->
    receive M -> [M | collect_messages()]
    after 50 -> []
    end.
