%% EUnit: the standard order (LANGUAGE.md 3.5).
-module(beamtalk_order_tests).
-include_lib("eunit/include/eunit.hrl").

kinds_in_order_test() ->
    Ordered = [nil, false, true, -5, 1, 1.0, 2.5, {'$char', $a}, {'$char', $b}, abc, abd,
               <<"a">>, <<"é"/utf8>>, {}, {1}, {1, 2}, {2}, [], [1], [1, 2], [2], #{},
               #{a => 1}, #{a => 2}, #{b => 0}, beamtalk_value:class('Counter')],
    Shuffled = lists:reverse(Ordered),
    ?assertEqual(Ordered, beamtalk_order:sort(Shuffled)).

integer_before_equal_float_test() ->
    ?assertEqual([1, 1.0], beamtalk_order:sort([1.0, 1])),
    ?assertEqual(-1, beamtalk_order:compare(1, 1.0)),
    ?assertEqual(0, beamtalk_order:compare(-0.0, 0.0)).

exact_big_integers_test() ->
    Big = 1 bsl 53 + 1,
    ?assertEqual(1, beamtalk_order:compare(Big, float(1 bsl 53))).

stable_test() ->
    %% 0.0 and -0.0 are equal in the order but print apart: ties keep their order
    Texts = fun(L) -> [beamtalk_print:print_string(X) || X <- beamtalk_order:sort(L)] end,
    ?assertEqual([<<"-0.0">>, <<"0.0">>, <<"1">>], Texts([-0.0, 1, 0.0])),
    ?assertEqual([<<"0.0">>, <<"-0.0">>, <<"1">>], Texts([1, 0.0, -0.0])).

instances_by_fields_test() ->
    beamtalk_value:define_fields('OrderPoint', [x, y]),
    P = fun(X, Y) -> beamtalk_value:instance('OrderPoint', #{x => X, y => Y}) end,
    ?assertEqual([P(1, 9), P(2, 0), P(2, 1)], beamtalk_order:sort([P(2, 1), P(1, 9), P(2, 0)])).
