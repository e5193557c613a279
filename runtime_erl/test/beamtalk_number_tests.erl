%% EUnit: Integer and Float primitives (LANGUAGE.md 3.6) and their errors.
-module(beamtalk_number_tests).
-include_lib("eunit/include/eunit.hrl").

-define(raises(Class, Text, Expr),
        ?assertError({'$exc', Class, #{'$messageText' := Text}}, Expr)).

arithmetic_test() ->
    ?assertEqual(3, beamtalk_integer:'+'(1, 2)),
    ?assertEqual(3.5, beamtalk_integer:'+'(1, 2.5)),
    ?assertEqual(1 bsl 100, beamtalk_integer:'*'(1 bsl 50, 1 bsl 50)),
    ?raises('TypeError', <<"#+ expects a Number, got a String">>, beamtalk_integer:'+'(1, <<"a">>)),
    ?raises('TypeError', <<"#- expects a Number, got nil">>, beamtalk_float:'-'(1.0, nil)),
    ?raises('ArithmeticError', <<"Float overflow">>, beamtalk_float:'*'(1.0e300, 1.0e300)),
    ?raises('ArithmeticError', <<"Float overflow">>, beamtalk_integer:'+'(1 bsl 1100, 1.0)).

division_test() ->
    ?assertEqual(0.5, beamtalk_integer:'/'(1, 2)),
    ?assertEqual(1 / 3, beamtalk_integer:'/'(1, 3)),
    %% beyond 2^53: the Float nearest the exact quotient, not the quotient of two roundings
    ?assertEqual(9007199254740993.0 / 1.0, beamtalk_integer:'/'(9007199254740993 * 3, 3)),
    ?assertEqual(float(1 bsl 60), beamtalk_integer:'/'(1 bsl 61, 2)),
    ?assertEqual(1.0e-300, beamtalk_integer:'/'(1, beamtalk_integer:'**'(10, 300))),
    ?assertEqual(5.0e-324, beamtalk_integer:'/'(1, 1 bsl 1074)),
    ?assertEqual(0.0, beamtalk_integer:'/'(1, 1 bsl 1076)),
    ?assertEqual(<<"-0.0">>, beamtalk_print:print_string(beamtalk_integer:'/'(0, -(1 bsl 60)))),
    ?raises('ArithmeticError', <<"Float overflow">>, beamtalk_integer:'/'(1 bsl 1100, 3)),
    ?raises('ZeroDivide', <<"Division by zero">>, beamtalk_integer:'/'(1, 0)),
    ?raises('ZeroDivide', <<"Division by zero">>, beamtalk_float:'/'(1.0, -0.0)),
    ?raises('ZeroDivide', <<"Division by zero">>, beamtalk_integer:'%'(1, 0)).

signs_test() ->
    ?assertEqual(-3, beamtalk_integer:'div:'(-7, 2)),
    ?assertEqual(-1, beamtalk_integer:'rem:'(-7, 2)),
    ?assertEqual(-1, beamtalk_integer:'%'(-7, 2)),
    ?assertEqual(1, beamtalk_integer:'mod:'(-7, 2)),
    ?assertEqual(-1, beamtalk_integer:'mod:'(7, -2)),
    ?assertEqual(1.5, beamtalk_float:'mod:'(-0.5, 2)),
    ?assertEqual(-3, beamtalk_float:'div:'(-7.5, 2)),
    ?raises('TypeError', <<"#% expects a Number, got a Symbol">>, beamtalk_integer:'%'(1, a)).

power_test() ->
    ?assertEqual(1024, beamtalk_integer:'**'(2, 10)),
    ?assertEqual(0.25, beamtalk_integer:'**'(2, -2)),
    ?assertEqual(1.4142135623730951, beamtalk_integer:'**'(2, 0.5)),
    ?raises('ArithmeticError', <<"Undefined result">>, beamtalk_integer:'**'(-8, 0.5)),
    ?raises('ZeroDivide', <<"Division by zero">>, beamtalk_integer:'**'(0, -1)),
    ?raises('TypeError', <<"#raisedTo: expects a Number, got nil">>,
            beamtalk_integer:'raisedTo:'(2, nil)).

rounding_test() ->
    ?assertEqual(3, beamtalk_float:rounded(2.5)),
    ?assertEqual(-3, beamtalk_float:rounded(-2.5)),
    ?assertEqual(2, beamtalk_float:rounded(2.4999999999999996)),
    ?assertEqual(4503599627370497, beamtalk_float:rounded(4503599627370497.0)),
    ?assertEqual(-2, beamtalk_float:truncated(-2.7)),
    ?assertEqual(-3, beamtalk_float:floor(-2.7)),
    ?assertEqual(-2, beamtalk_float:ceiling(-2.7)).

sqrt_test() ->
    ?assertEqual(2.0, beamtalk_integer:sqrt(4)),
    ?assertEqual(float(1 bsl 600), beamtalk_integer:sqrt(1 bsl 1200)),
    ?raises('ArithmeticError', <<"Undefined result">>, beamtalk_integer:sqrt(-1)).

radix_test() ->
    ?assertEqual(<<"FF">>, beamtalk_integer:'printString:'(255, 16)),
    ?assertEqual(<<"-101">>, beamtalk_integer:'printString:'(-5, 2)),
    ?assertEqual(<<"0.1">>, beamtalk_float:'printString:'(0.5, 2)),
    ?assertEqual(<<"-A.8">>, beamtalk_float:'printString:'(-10.5, 16)),
    ?raises('ArgumentError', <<"#printString: expects a radix from 2 to 36, got 37">>,
            beamtalk_integer:'printString:'(1, 37)),
    ?raises('TypeError', <<"#printString: expects an Integer, got a Float">>,
            beamtalk_integer:'printString:'(1, 2.0)).

integer_only_test() ->
    ?assertEqual(6, beamtalk_integer:'gcd:'(-12, 18)),
    ?assertEqual(36, beamtalk_integer:'lcm:'(-12, 18)),
    ?assertEqual(120, beamtalk_integer:factorial(5)),
    ?raises('ArgumentError', <<"#factorial expects a non-negative receiver, got -1">>,
            beamtalk_integer:factorial(-1)),
    ?assertEqual([2, 3, 5, 7], [N || N <- lists:seq(1, 10), beamtalk_integer:isPrime(N)]),
    ?assert(beamtalk_integer:isPrime(170141183460469231731687303715884105727)),
    ?assertEqual(<<"-007">>, beamtalk_integer:'printPaddedWith:to:'(-7, {'$char', $0}, 4)),
    ?assertEqual(-2, beamtalk_integer:'bitShift:'(-7, -2)),
    ?assertEqual(3, beamtalk_integer:'timesRepeat:'(3, fun() -> ok end)).

intervals_test() ->
    I = beamtalk_integer:'to:by:'(1, 9, 2),
    ?assertEqual([1, 3, 5, 7, 9], beamtalk_interval:asList(I)),
    ?assertEqual([10, 7, 4, 1], beamtalk_interval:asList(beamtalk_integer:'to:by:'(10, 1, -3))),
    ?raises('ArgumentError', <<"#to:by: expects a non-zero step, got 0">>,
            beamtalk_integer:'to:by:'(1, 2, 0)),
    ?raises('ArityError', <<"Block expects 2 arguments, got 1">>,
            beamtalk_integer:'to:do:'(1, 2, fun(_, _) -> ok end)).
