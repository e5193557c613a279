%% Nodes (beamtalk_node): this node's name and connections without distribution, spawning
%% on a node that does not answer, and the code bundles two nodes compare and ship.  The
%% cross-node conversation itself runs in tests/test_nodes.py (two named nodes on loopback).
-module(beamtalk_node_tests).
-include_lib("eunit/include/eunit.hrl").

-define(PING, "
-module('bt@Ping').
-export(['$class_info'/0, '$default'/1, '$class_default'/1, ping/1]).
'$class_info'() ->
    #{name => 'Ping', superclass => 'Actor', kind => actor, modifier => none, doc => nil,
      fields => [n], defaults => [n], class_vars => [], class_var_defaults => [],
      methods => [#{selector => ping, function => ping, arity => 1, source => <<>>, doc => nil,
                    sealed => false, primitive => none, fallback => none}],
      class_methods => []}.
'$default'(n) -> 0.
'$class_default'(_) -> nil.
ping(_Self) -> pong.
").

%% A subclass of Ping: its bundle holds both classes, superclass first.
-define(LOUD, "
-module('bt@LoudPing').
-export(['$class_info'/0, '$default'/1, '$class_default'/1]).
'$class_info'() ->
    #{name => 'LoudPing', superclass => 'Ping', kind => actor, modifier => none, doc => nil,
      fields => [], defaults => [], class_vars => [], class_var_defaults => [],
      methods => [], class_methods => []}.
'$default'(_) -> nil.
'$class_default'(_) -> nil.
").

%% A class whose code names Ping (a global): Ping is sent with it.
-define(TEAM, "
-module('bt@Team').
-export(['$class_info'/0, '$default'/1, '$class_default'/1, 'class member'/1]).
'$class_info'() ->
    #{name => 'Team', superclass => 'Actor', kind => actor, modifier => none, doc => nil,
      fields => [], defaults => [], class_vars => [], class_var_defaults => [],
      methods => [],
      class_methods => [#{selector => member, function => 'class member', arity => 1,
                          source => <<>>, doc => nil, sealed => false, primitive => none,
                          fallback => none}]}.
'$default'(_) -> nil.
'$class_default'(_) -> nil.
'class member'(_Self) -> [beamtalk_classes:global('Ping'), beamtalk_classes:global('Actor')].
").

-define(PONG, "
-module('bt@Ping@>>').
-export(['$method_info'/0, pong/1]).
'$method_info'() ->
    #{class => 'Ping', side => instance,
      info => #{selector => pong, function => pong, arity => 1, source => <<>>, doc => nil,
                sealed => false, primitive => none, fallback => none}}.
pong(_Self) -> ping.
").

setup() ->
    beamtalk_fixture:fresh(),
    ok.

cleanup(_) ->
    beamtalk_actor:kill_all(),
    beamtalk_classes:reset().

node_test_() ->
    {foreach, fun setup/0, fun cleanup/1,
     [fun single_node/0, fun spawn_on_a_node_that_does_not_answer/0, fun bundles/0,
      fun install_makes_the_same_bundle/0, fun remote_reference_messages/0,
      fun wait_edges/0, fun offered_classes/0, fun received_modules/0]}.

single_node() ->
    ?assertEqual(nonode@nohost, beamtalk_system:'class node'(system)),
    ?assertEqual([], beamtalk_system:'class nodes'(system)),
    ?assertNot(beamtalk_system:'class connect:'(system, 'b@127.0.0.1')),
    ?assertNot(beamtalk_system:'class connect:'(system, <<"b@127.0.0.1">>)),
    %% without distribution nothing answers, not even this node's own name (as on the
    %% interpreter)
    ?assertNot(beamtalk_system:'class connect:'(system, nonode@nohost)),
    ?assertEqual(type_error, kind_of(fun() -> beamtalk_system:'class connect:'(system, 42) end)),
    ?assertEqual(type_error, kind_of(fun() -> beamtalk_system:'class connect:'(system, nil) end)),
    beamtalk_fixture:load_class(?PING),
    A = beamtalk_actor:spawn('Ping', #{}),
    ?assertEqual(nonode@nohost, beamtalk_actor:node(A)),
    ?assertEqual(ok, beamtalk_node:start_distribution()).  % no name: nothing to set

spawn_on_a_node_that_does_not_answer() ->
    beamtalk_fixture:load_class(?PING),
    Exc = caught(fun() -> beamtalk_actor:'class spawnOn:'({'$class', 'Ping'}, 'b@127.0.0.1') end),
    ?assertEqual(node_down, beamtalk_error:kind(Exc)),
    ?assertEqual(<<"Node b@127.0.0.1 does not answer">>, beamtalk_error:message_text(Exc)),
    Exc2 = caught(fun() -> beamtalk_actor:'class spawnOn:with:'({'$class', 'Ping'},
                                                                 <<"c@127.0.0.1">>, #{}) end),
    ?assertEqual(<<"Node c@127.0.0.1 does not answer">>, beamtalk_error:message_text(Exc2)),
    ?assertEqual(type_error, kind_of(fun() -> beamtalk_actor:'class spawnOn:'({'$class', 'Ping'},
                                                                               7) end)),
    ?assertEqual(node_down, kind_of(fun() -> beamtalk_node:reconnect('b@127.0.0.1') end)).

bundles() ->
    %% stdlib classes are on every node: nothing to send
    ?assertEqual([], beamtalk_node:bundle('Actor')),
    ?assertEqual([], beamtalk_node:bundle('NoSuchClass')),
    Ping = beamtalk_fixture:core(?PING),
    Loud = beamtalk_fixture:core(?LOUD),
    {ok, _} = beamtalk_loader:load_class(Ping),
    {ok, _} = beamtalk_loader:load_class(Loud),
    ?assertEqual([{class, Ping}, {selectors, 'Ping', instance, [ping]},
                  {selectors, 'Ping', class, []}], beamtalk_node:bundle('Ping')),
    ?assertEqual([{class, Ping}, {class, Loud}], texts(beamtalk_node:bundle('LoudPing'))),
    Before = beamtalk_node:digest(beamtalk_node:bundle('LoudPing')),
    ?assert(beamtalk_node:has_code('LoudPing', Before)),
    %% a `>>` method is part of the class's code: the digest changes
    Pong = beamtalk_fixture:core(?PONG),
    {ok, _} = beamtalk_loader:load_method(Pong),
    ?assertEqual([{class, Ping}, {class, Loud}, {method, Pong}],
                 texts(beamtalk_node:bundle('LoudPing'))),
    ?assertNot(beamtalk_node:has_code('LoudPing', Before)),
    ?assert(beamtalk_node:has_code('LoudPing',
                                   beamtalk_node:digest(beamtalk_node:bundle('LoudPing')))),
    %% the user classes a class's code names go with it (stdlib ones do not)
    Team = beamtalk_fixture:core(?TEAM),
    {ok, _} = beamtalk_loader:load_class(Team),
    ?assertEqual([{class, Team}, {class, Ping}, {method, Pong}],
                 texts(beamtalk_node:bundle('Team'))),
    %% a removed method is part of it too
    true = beamtalk_classes:remove_method('Ping', instance, ping),
    ?assertEqual([{selectors, 'Ping', instance, [pong]}],
                 [E || {selectors, 'Ping', instance, _} = E <- beamtalk_node:bundle('Ping')]).

texts(Bundle) -> [E || {Kind, _} = E <- Bundle, Kind =:= class orelse Kind =:= method].

install_makes_the_same_bundle() ->
    Ping = beamtalk_fixture:core(?PING),
    Pong = beamtalk_fixture:core(?PONG),
    Bundle = [{class, Ping}, {method, Pong}, {selectors, 'Ping', instance, [ping, pong]},
              {selectors, 'Ping', class, []}],
    ?assertNot(beamtalk_node:has_code('Ping', beamtalk_node:digest(Bundle))),
    ok = beamtalk_node:install(Bundle),
    %% what another node sent is this node's code for the class now, under its own modules
    ?assertEqual(Bundle, beamtalk_node:bundle('Ping')),
    ?assert(beamtalk_node:has_code('Ping', beamtalk_node:digest(Bundle))),
    A = beamtalk_actor:spawn('Ping', #{}),
    ?assertEqual(pong, beamtalk_future:await(beamtalk_actor:send(A, ping, []))),
    ?assertEqual(ping, beamtalk_future:await(beamtalk_actor:send(A, pong, []))),
    %% the other node removed pong (removeSelector:): so does this one, at the next install
    Removed = [{class, Ping}, {selectors, 'Ping', instance, [ping]}, {selectors, 'Ping', class, []}],
    ok = beamtalk_node:install(Removed),
    ?assertEqual(Removed, beamtalk_node:bundle('Ping')),
    ?assertEqual(does_not_understand,
                 kind_of(fun() -> beamtalk_future:await(beamtalk_actor:send(A, pong, [])) end)),
    %% a method of the class's own text too
    NoPing = [{class, Ping}, {selectors, 'Ping', instance, []}, {selectors, 'Ping', class, []}],
    ok = beamtalk_node:install(NoPing),
    ?assertEqual(NoPing, beamtalk_node:bundle('Ping')),
    ?assertEqual(does_not_understand,
                 kind_of(fun() -> beamtalk_future:await(beamtalk_actor:send(A, ping, [])) end)),
    Bad = caught(fun() -> beamtalk_node:install([{class, <<"not core">>}]) end),
    ?assertMatch(<<"internal error: Core parse error", _/binary>>,
                 beamtalk_error:message_text(Bad)).

remote_reference_messages() ->
    %% a pid of a node this node never reached: not alive, and a send is NodeDown
    Remote = binary_to_term(remote_pid_binary()),
    ?assertEqual('b@127.0.0.1', node(Remote)),
    A = {'$actor', 'Ping', Remote, 1},
    ?assertEqual('b@127.0.0.1', beamtalk_actor:node(A)),
    ?assertNot(beamtalk_actor:isAlive(A)),
    ?assertEqual(node_down, kind_of(fun() -> beamtalk_actor:send(A, ping, []) end)).

wait_edges() ->
    %% the chain from an awaited actor back to this process is a cycle, named by classes
    Self = self(),
    [P1, P2] = [spawn(fun() -> receive stop -> ok end end) || _ <- [1, 2]],
    ets:insert(beamtalk_waits, {P1, P2, 'Two'}),
    ?assertEqual(none, beamtalk_waits:cycle(P1, ['One'])),  % P2 awaits nothing
    ets:insert(beamtalk_waits, {P2, Self, 'Me'}),
    ?assertEqual({cycle, ['One', 'Two', 'Me']}, beamtalk_waits:cycle(P1, ['One'])),
    ?assertEqual({P2, 'Two'}, beamtalk_waits:edge(P1)),
    ?assertEqual(none, beamtalk_waits:edge(Self)),
    %% an edge to a pid of a node that is not connected ends the search without a verdict
    ets:insert(beamtalk_waits, {P2, binary_to_term(remote_pid_binary()), 'Far'}),
    ?assertEqual(none, beamtalk_waits:cycle(P1, ['One'])),
    ets:delete(beamtalk_waits, P1),
    ets:delete(beamtalk_waits, P2),
    [P ! stop || P <- [P1, P2]].

offered_classes() ->
    Ping = beamtalk_fixture:core(?PING),
    {ok, _} = beamtalk_loader:load_class(Ping),
    ?assertEqual(beamtalk_node:bundle('Ping'), beamtalk_node:offer('Ping')),
    ?assertEqual([], beamtalk_node:offer('Actor')),  % every node has the stdlib
    ?assertEqual([], beamtalk_node:offer('NoSuchClass')),
    %% without distribution no node sent code here: a miss stays a miss
    ?assertNot(beamtalk_node:fetch_class('NoSuchClass')),
    ?assertEqual(nil, beamtalk_beamtalk:'class classNamed:'(beamtalk, <<"NoSuchClass">>)),
    %% an answer to this node's own caller takes nothing along
    ?assertEqual(ok, beamtalk_node:answering(node(), {ok, fun(X) -> X end})).

received_modules() ->
    %% a module sent by another node loads under its own name (a block's fun names it), once
    {M, One} = tiny_module(1),
    ?assertEqual(ok, beamtalk_node:receive_code('b@127.0.0.1', [], [{M, One}])),
    ?assertEqual(1, M:answer()),
    ?assertEqual(ok, beamtalk_node:receive_code('b@127.0.0.1', [], [{M, One}])),
    ?assertEqual([{{code_from, 'b@127.0.0.1'}, true}],
                 ets:lookup(beamtalk_classes, {code_from, 'b@127.0.0.1'})),
    %% another module under a name already taken here is refused, never loaded over it
    {M, Two} = tiny_module(2),
    ?assertEqual(internal_error,
                 kind_of(fun() -> beamtalk_node:receive_code('b@127.0.0.1', [], [{M, Two}]) end)),
    ?assertEqual(1, M:answer()),
    code:purge(M),
    code:delete(M),
    code:purge(M).

tiny_module(N) ->
    Forms = [{attribute, 1, module, 'bt@sent@1@test'}, {attribute, 1, export, [{answer, 0}]},
             {function, 1, answer, 0, [{clause, 1, [], [], [{integer, 1, N}]}]}],
    {ok, M, Binary} = compile:forms(Forms, [binary]),
    {M, Binary}.

%% The external term format of the pid <b@127.0.0.1.5.0> (NEW_PID_EXT).
remote_pid_binary() ->
    Name = <<"b@127.0.0.1">>,
    <<131, 88, 119, (byte_size(Name)), Name/binary, 5:32, 0:32, 1:32>>.

caught(Fun) ->
    try Fun() of
        V -> error({no_error, V})
    catch error:Exc -> Exc
    end.

kind_of(Fun) -> beamtalk_error:kind(caught(Fun)).
