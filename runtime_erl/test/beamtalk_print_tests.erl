%% EUnit: printString/displayString of every kind of value (LANGUAGE.md 4).
-module(beamtalk_print_tests).
-include_lib("eunit/include/eunit.hrl").

p(V) -> beamtalk_print:print_string(V).
d(V) -> beamtalk_print:display_string(V).

atoms_test() ->
    ?assertEqual(<<"nil">>, p(nil)),
    ?assertEqual(<<"true">>, d(true)),
    ?assertEqual(<<"#foo">>, p(foo)),
    ?assertEqual(<<"foo">>, d(foo)),
    ?assertEqual(<<"#at:put:">>, p('at:put:')),
    ?assertEqual(<<"#+">>, p('+')),
    ?assertEqual(<<"#'hello world'">>, p('hello world')),
    ?assertEqual(<<"#'it''s'">>, p('it\'s')),
    ?assertEqual(<<"#'a:b'">>, p('a:b')),
    ?assertEqual(<<"#'//'">>, p('//')),  % a comment start is not an operator
    ?assertEqual(<<"#'+/*'">>, p('+/*')),
    ?assertEqual(<<"#*/">>, p('*/')).

numbers_test() ->
    ?assertEqual(<<"-7">>, p(-7)),
    ?assertEqual(<<"123456789012345678901234567890">>, p(123456789012345678901234567890)),
    Cases = [{0.0, "0.0"}, {-0.0, "-0.0"}, {5.0, "5.0"}, {0.1, "0.1"}, {1000.0, "1000.0"},
             {1 / 3, "0.3333333333333333"}, {1.0e16, "1.0e16"}, {1.5e-5, "1.5e-5"},
             {-2.0e20, "-2.0e20"}, {1.0e-4, "0.0001"}, {9999999999999998.0, "9999999999999998.0"},
             {5.0e-324, "5.0e-324"}, {1.7976931348623157e308, "1.7976931348623157e308"}],
    [?assertEqual(list_to_binary(T), p(F)) || {F, T} <- Cases].

strings_test() ->
    ?assertEqual(<<"'it''s'">>, p(<<"it's">>)),
    ?assertEqual(<<"it's">>, d(<<"it's">>)),
    ?assertEqual(<<"\"a\\nb\\{\\}\\\"\\\\'\"">>, p(<<"a\nb{}\"\\'">>)),
    ?assertEqual(<<"'straße'"/utf8>>, p(<<"straße"/utf8>>)),
    ?assertEqual(<<"\"\\t\"">>, p(<<"\t">>)),
    ?assertEqual(<<"\"", 16#c2, 16#85, "\"">>, p(<<16#85/utf8>>)).  % C1 control: quoted

characters_test() ->
    C = fun beamtalk_value:char/1,
    ?assertEqual(<<"$a">>, p(C($a))),
    ?assertEqual(<<"a">>, d(C($a))),
    ?assertEqual(<<"$ ">>, p(C($\s))),
    ?assertEqual(<<"$\\n">>, p(C($\n))),
    ?assertEqual(<<"$\\t">>, p(C($\t))),
    ?assertEqual(<<"$\\r">>, p(C($\r))),
    ?assertEqual(<<"(Character value: 7)">>, p(C(7))),
    ?assertEqual(<<"$é"/utf8>>, p(C(16#e9))).

collections_test() ->
    ?assertEqual(<<"#(1, 'a', #b)">>, p([1, <<"a">>, b])),
    ?assertEqual(<<"#(1, a, b)">>, d([1, <<"a">>, b])),
    ?assertEqual(<<"#()">>, p([])),
    ?assertEqual(<<"{1, #ok}">>, p({1, ok})),
    ?assertEqual(<<"{1, ok}">>, d({1, ok})),
    ?assertEqual(<<"{}">>, p({})),
    ?assertEqual(<<"#{#a => 1, #b => 2}">>, p(#{b => 2, a => 1})),
    ?assertEqual(<<"#{a => 1, b => 2}">>, d(#{b => 2, a => 1})),
    ?assertEqual(<<"#{nil => 0, 1 => 1, 1.0 => 2, $a => 3, #s => 4, 'x' => 5}">>,
                 p(#{<<"x">> => 5, s => 4, {'$char', $a} => 3, 1.0 => 2, 1 => 1, nil => 0})),
    ?assertEqual(<<"Set(1, 2, 3)">>, p(beamtalk_value:set([3, 1, 2]))),
    ?assertEqual(<<"Set()">>, p(beamtalk_value:set([]))),
    ?assertEqual(<<"Set(a, b)">>, d(beamtalk_value:set([<<"b">>, a]))),
    ?assertEqual(<<"(1 to: 5)">>, p(beamtalk_value:interval(1, 5, 1))),
    ?assertEqual(<<"(1 to: 9 by: 2)">>, p(beamtalk_value:interval(1, 9, 2))),
    ?assertEqual(<<"#a -> 1">>, p(beamtalk_value:association(a, 1))),
    ?assertEqual(<<"a -> #(x)">>, d(beamtalk_value:association(a, [<<"x">>]))).

objects_test() ->
    ?assertEqual(<<"a Block/2">>, p(fun(_, _) -> ok end)),
    ?assertEqual(<<"a Block/0">>, d(fun() -> ok end)),
    ?assertEqual(<<"Counter">>, p(beamtalk_value:class('Counter'))),
    ?assertEqual(<<"Counter class">>, p(beamtalk_value:metaclass('Counter'))),
    ?assertEqual(<<"Metaclass">>,
                 p(beamtalk_value:class_of(beamtalk_value:metaclass('Counter')))),
    ?assertEqual(<<"a Finder">>, p(beamtalk_value:instance('Finder', #{}))),
    beamtalk_value:define_fields('PrintPoint', [y, x]),
    ?assertEqual(<<"a PrintPoint(y: 2, x: 'one')">>,
                 p(beamtalk_value:instance('PrintPoint', #{x => <<"one">>, y => 2}))),
    ?assertEqual(<<"an Entry(k: nil)">>, p(beamtalk_value:instance('Entry', #{k => nil}))),
    M = {'$method', beamtalk_value:metaclass('Counter'), 'named:', #{}},
    ?assertEqual(<<"Counter class>>#named:">>, p(M)),
    ?assertEqual(<<"a Message(#at:put:)">>, p(beamtalk_value:message('at:put:', [1, 2]))),
    Actor = {'$actor', 'Counter', list_to_pid("<0.85.0>"), 1},
    ?assertEqual(<<"#Actor<Counter,0.85.0>">>, p(Actor)).

exceptions_test() ->
    E = beamtalk_error:of_class('ZeroDivide', <<"Division by zero">>),
    ?assertEqual(<<"a ZeroDivide: Division by zero">>, p(E)),
    ?assertEqual(<<"Division by zero">>, d(E)),
    ?assertEqual(<<"an Error">>, p(beamtalk_error:of_class('Error', nil))),
    ?assertEqual(<<"an Error">>, d(beamtalk_error:of_class('Error', nil))),
    %% an empty text prints as no text (issue 12); the description is the text itself
    ?assertEqual(<<"an Error">>, p(beamtalk_error:of_class('Error', <<>>))),
    ?assertEqual(<<>>, d(beamtalk_error:of_class('Error', <<>>))).
