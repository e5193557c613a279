%% EUnit: Erlang interop (beamtalk_erlang): the term mapping's checks, function names, calls
%% and the errors they signal.
-module(beamtalk_erlang_tests).
-include_lib("eunit/include/eunit.hrl").

crossable_test() ->
    Yes = [1, -(1 bsl 100), 1.5, <<"héllo"/utf8>>, ok, nil, true, [], [1, [2]], {}, {a, 1},
           #{a => [<<"x">>]}],
    [?assert(beamtalk_erlang:crossable(T)) || T <- Yes],
    No = [self(), make_ref(), fun() -> ok end, [1 | 2], <<255>>, <<1:3>>, {'$char', 97},
          [{'$set', #{}}], #{k => self()}],
    [?assertNot(beamtalk_erlang:crossable(T)) || T <- No],
    ?assertEqual({value, {'$char', 97}}, beamtalk_erlang:offender([1, {'$char', 97}])),
    ?assertEqual({value, [1 | 2]}, beamtalk_erlang:offender({[1 | 2]})),
    ?assertEqual(none, beamtalk_erlang:offender(#{a => {b, [c]}})).

function_name_test() ->
    ?assertEqual(reverse, beamtalk_erlang:function_name('reverse:')),
    ?assertEqual(put, beamtalk_erlang:function_name('put:with:with:')),
    ?assertEqual(node, beamtalk_erlang:function_name(node)),
    ?assertEqual('+', beamtalk_erlang:function_name('+')).

call_test() ->
    ?assertEqual([3, 2, 1], beamtalk_erlang:apply_call(lists, reverse, [[1, 2, 3]])),
    ?assertEqual(#{a => 1}, beamtalk_erlang:apply_call(maps, put, [a, 1, #{}])),
    ?assertEqual("42", beamtalk_erlang:apply_call(erlang, integer_to_list, [42])).

text(Fun) ->
    try Fun() of V -> {value, V}
    catch error:{'$exc', Class, _} = E -> {Class, beamtalk_error:message_text(E)}
    end.

errors_test() ->
    ?assertEqual({'ErlangError', <<"Erlang error: #badarg">>},
                 text(fun() -> beamtalk_erlang:apply_call(erlang, binary_to_integer, [<<"x">>]) end)),
    ?assertEqual({'ErlangError', <<"Erlang throw: #oops">>},
                 text(fun() -> beamtalk_erlang:apply_call(erlang, throw, [oops]) end)),
    %% a reason with no Beamtalk counterpart is shown as Erlang prints it
    Pid = beamtalk_error:message_text(beamtalk_erlang:exception(exit, {self()}, m, f, [])),
    ?assertMatch(<<"Erlang exit: {<", _/binary>>, Pid),
    %% an argument only Erlang code can make (Beamtalk values are never bare pids)
    ?assertMatch({'TypeError', <<"Erlang erlang:exit/1: argument 1 holds an Erlang term, ",
                                 _/binary>>},
                 text(fun() -> beamtalk_erlang:apply_call(erlang, exit, [{self()}]) end)),
    ?assertEqual({'ErlangError', <<"Erlang error: undef: the function lists:nope/1 is undefined "
                                   "or not exported">>},
                 text(fun() -> beamtalk_erlang:apply_call(lists, nope, [1]) end)),
    ?assertEqual({'ErlangError', <<"Erlang error: undef: the module no_such_mod is not available "
                                   "(calling no_such_mod:f/0)">>},
                 text(fun() -> beamtalk_erlang:apply_call(no_such_mod, f, []) end)),
    {'TypeError', Answered} = text(fun() -> beamtalk_erlang:apply_call(erlang, self, []) end),
    ?assertMatch(<<"Erlang erlang:self/0 answered <", _/binary>>, Answered),
    ?assertEqual({'TypeError', <<"Erlang lists:reverse/1: argument 1 holds a Character, which "
                                 "has no Erlang counterpart">>},
                 text(fun() -> beamtalk_erlang:apply_call(lists, reverse, [[{'$char', 97}]]) end)).
