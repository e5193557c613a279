%% EUnit: Beamtalk actors seen from Erlang (runtime_erl/README.md, "Erlang code calling an
%% actor"): an Erlang module calls a compiled Beamtalk actor with gen_server:call, an OTP
%% supervisor written in Erlang holds a Beamtalk actor and restarts it, and 1,000
%% crash/restart cycles leave no process behind.
-module(beamtalk_supervisor_tests).
-include_lib("eunit/include/eunit.hrl").
-behaviour(supervisor).
-export([init/1]).

%% A compiled actor class, in the shape compiler_bt emits (docs/native-backend.md):
%%   Actor subclass: Tally
%%     state: count = 0
%%     bump => self.count := self.count + 1
%%     count => ^self.count
-define(TALLY, "
-module('bt@Tally').
-export(['$class_info'/0, '$default'/1, '$class_default'/1, bump/1, count/1, 'class spawn'/1]).
'$class_info'() ->
    #{name => 'Tally', superclass => 'Actor', kind => actor, modifier => none, doc => nil,
      fields => [count], defaults => [count], class_vars => [], class_var_defaults => [],
      methods => [#{selector => bump, function => bump, arity => 1, source => <<>>,
                    doc => nil, sealed => false, primitive => none, fallback => none},
                  #{selector => count, function => count, arity => 1, source => <<>>,
                    doc => nil, sealed => false, primitive => none, fallback => none}],
      class_methods => [#{selector => spawn, function => 'class spawn', arity => 1,
                          source => <<>>, doc => nil, sealed => false, primitive => none,
                          fallback => none}]}.
'class spawn'(_) -> beamtalk_actor:spawn('Tally', #{}).
'$default'(count) -> 0.
'$class_default'(_) -> nil.
bump(_Self) -> beamtalk_actor:set_field(count, beamtalk_actor:field(count) + 1).
count(_Self) -> beamtalk_actor:field(count).
").

%% A Beamtalk supervisor of one Tally (its class side as compiler_bt emits it):
%%   Supervisor subclass: Crew
%%     class maxRestarts => 5000
%%     class children => #(Tally)
-define(CREW, "
-module('bt@Crew').
-export(['$class_info'/0, '$default'/1, '$class_default'/1, 'class strategy'/1,
         'class maxRestarts'/1, 'class restartWindow'/1, 'class children'/1]).
'$class_info'() ->
    #{name => 'Crew', superclass => 'Supervisor', kind => actor, modifier => none, doc => nil,
      fields => [], defaults => [], class_vars => [], class_var_defaults => [],
      methods => [],
      class_methods => [#{selector => S, function => list_to_atom(\"class \" ++ atom_to_list(S)),
                          arity => 1, source => <<>>, doc => nil, sealed => false,
                          primitive => none, fallback => none}
                        || S <- [strategy, maxRestarts, restartWindow, children]]}.
'$default'(_) -> nil.
'$class_default'(_) -> nil.
'class strategy'(_) -> oneForOne.
'class maxRestarts'(_) -> 5000.
'class restartWindow'(_) -> 5.
'class children'(_) -> [{'$class', 'Tally'}].
").

setup() ->
    beamtalk_fixture:fresh(),
    beamtalk_fixture:load_class(?TALLY),
    beamtalk_fixture:load_class(?CREW).

%% An Erlang supervisor holding one Beamtalk actor.
init(Class) ->
    {ok, {#{strategy => one_for_one, intensity => 2000, period => 1},
          [#{id => tally, start => {beamtalk_supervisor, start_actor, [Class, #{}]},
             restart => permanent, shutdown => brutal_kill}]}}.

child_pid(Sup) ->
    [{tally, Pid, worker, _}] = supervisor:which_children(Sup),
    Pid.

%% (An Erlang supervisor reports each child it restarts; a thousand reports are noise here.)
erlang_side_test_() ->
    {setup, fun() -> #{level := Level} = logger:get_primary_config(),
                     logger:set_primary_config(level, critical),
                     setup(),
                     Level
            end,
     fun(Level) -> logger:set_primary_config(level, Level) end,
     [fun erlang_calls_an_actor/0, fun erlang_supervisor_holds_an_actor/0,
      fun crash_restart_cycles_leave_no_process/0,
      fun beamtalk_supervisor_cycles_leave_no_process/0]}.

%% The protocol: {send, Selector, Args} answered with {ok, Value} or {error, Exception}.
erlang_calls_an_actor() ->
    {ok, Pid} = beamtalk_supervisor:start_actor('Tally', #{}),
    ?assertEqual({ok, 0}, gen_server:call(Pid, {send, count, []})),
    ?assertMatch({ok, _}, gen_server:call(Pid, {send, bump, []})),
    ?assertMatch({ok, _}, gen_server:call(Pid, {send, bump, []})),
    ?assertEqual({ok, 2}, gen_server:call(Pid, {send, count, []})),
    {error, Exc} = gen_server:call(Pid, {send, nope, []}),
    ?assertEqual(does_not_understand, beamtalk_error:kind(Exc)),
    ?assertEqual({ok, 2}, gen_server:call(Pid, {send, count, []})),   % the actor goes on
    unlink(Pid),
    exit(Pid, kill).

erlang_supervisor_holds_an_actor() ->
    process_flag(trap_exit, true),
    {ok, Sup} = supervisor:start_link(?MODULE, 'Tally'),
    First = child_pid(Sup),
    {ok, _} = gen_server:call(First, {send, bump, []}),
    ?assertEqual({ok, 1}, gen_server:call(First, {send, count, []})),
    Ref = erlang:monitor(process, First),
    exit(First, kill),
    receive {'DOWN', Ref, process, _, killed} -> ok end,
    Second = wait_restart(Sup, First),
    ?assertNotEqual(First, Second),
    ?assertEqual({ok, 0}, gen_server:call(Second, {send, count, []})),   % a fresh actor
    ok = gen_server:stop(Sup),
    ?assertNot(is_process_alive(Second)).

wait_restart(Sup, Old) ->
    case child_pid(Sup) of
        Old -> receive after 1 -> ok end, wait_restart(Sup, Old);
        New when is_pid(New) -> New;
        _ -> receive after 1 -> ok end, wait_restart(Sup, Old)
    end.

crash_restart_cycles_leave_no_process() ->
    process_flag(trap_exit, true),
    {ok, Sup} = supervisor:start_link(?MODULE, 'Tally'),
    Before = length(erlang:processes()),
    Last = lists:foldl(fun(_, Pid) ->
                               Ref = erlang:monitor(process, Pid),
                               exit(Pid, kill),
                               receive {'DOWN', Ref, process, _, _} -> ok end,
                               wait_restart(Sup, Pid)
                       end, child_pid(Sup), lists:seq(1, 1000)),
    ?assertEqual({ok, 0}, gen_server:call(Last, {send, count, []})),
    ?assertEqual(Before, length(erlang:processes())),
    ok = gen_server:stop(Sup),
    ?assertEqual(Before - 2, length(erlang:processes())).   % the supervisor and its child

%% The same with a Beamtalk supervisor (an actor owning an OTP supervisor, and a guard):
%% 1,000 kills of its child, each restarted, then the supervisor stopped: every process it
%% made is gone.
beamtalk_supervisor_cycles_leave_no_process() ->
    Before = length(erlang:processes()),
    Crew = beamtalk_supervisor:'class spawn'({'$class', 'Crew'}),
    Sup = beamtalk_supervisor:otp_supervisor(Crew),
    ?assert(is_pid(Sup)),
    ?assertMatch([{'Tally', _, worker, _}], supervisor:which_children(Sup)),
    [First] = beamtalk_supervisor:children(Crew),
    Last = lists:foldl(fun(_, Child) ->
                               beamtalk_actor:kill(Child),
                               [Next] = beamtalk_supervisor:children(Crew),
                               ?assertNotEqual(Child, Next),
                               Next
                       end, First, lists:seq(1, 1000)),
    ?assertEqual(1000, beamtalk_supervisor:restartCount(Crew)),
    ?assertEqual(Last, beamtalk_supervisor:'childNamed:'(Crew, 'Tally')),
    ?assertEqual(Before + 4, length(erlang:processes())),  % actor, OTP supervisor, guard, child
    beamtalk_actor:kill(Crew),
    ?assertEqual(Before, settle_count(Before, 5000)),
    ?assertEqual([], beamtalk_supervisor:children(Crew)).

%% The guard ends the OTP supervisor after the actor's end: wait for the count to come back
%% (bounded, so a leak fails the test instead of hanging it).
settle_count(Want, 0) -> length(erlang:processes()) + 0 * Want;
settle_count(Want, Tries) ->
    case length(erlang:processes()) of
        Want -> Want;
        _ -> receive after 1 -> ok end, settle_count(Want, Tries - 1)
    end.
