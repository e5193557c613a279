%% The class registry and dispatch: class modules, >> methods, accessors, super, DNU,
%% perform:, respondsTo:, primitive binding with fallbacks, class state, globals.
-module(beamtalk_dispatch_tests).
-include_lib("eunit/include/eunit.hrl").

-define(POINT, "
-module('bt@Point').
-export(['$class_info'/0, '$default'/1, '$class_default'/1, sum/1, 'class origin'/1, 'class count'/1, describe/1]).
'$class_info'() ->
    #{name => 'Point', superclass => 'Object', kind => value, modifier => none, doc => nil,
      fields => [x, y], defaults => [x], class_vars => [count], class_var_defaults => [count],
      methods => [#{selector => sum, function => sum, arity => 1, source => <<\"sum => x + y\">>,
                    doc => nil, sealed => false, primitive => none, fallback => none},
                  #{selector => describe, function => describe, arity => 1, source => <<>>,
                    doc => nil, sealed => false, primitive => none, fallback => none}],
      class_methods => [#{selector => origin, function => 'class origin', arity => 1,
                          source => <<>>, doc => nil, sealed => false, primitive => none,
                          fallback => none},
                        #{selector => count, function => 'class count', arity => 1,
                          source => <<>>, doc => nil, sealed => false, primitive => none,
                          fallback => none}]}.
'$default'(x) -> 0.
'$class_default'(count) -> 7.
sum(Self) -> beamtalk_object:field(Self, x) + beamtalk_object:field(Self, y).
describe(_Self) -> point.
'class origin'(Class) -> 'bt@sel@new:':send(Class, #{y => 0}).
'class count'(_) -> beamtalk_classes:class_var('Point', count).
").

-define(POINT3, "
-module('bt@Point3').
-export(['$class_info'/0, sum/1, 'doesNotUnderstand:'/2]).
'$class_info'() ->
    #{name => 'Point3', superclass => 'Point', kind => value, modifier => none, doc => nil,
      fields => [z], defaults => [], class_vars => [], class_var_defaults => [],
      methods => [#{selector => sum, function => sum, arity => 1, source => <<>>, doc => nil,
                    sealed => false, primitive => none, fallback => none},
                  #{selector => 'doesNotUnderstand:', function => 'doesNotUnderstand:',
                    arity => 2, source => <<>>, doc => nil, sealed => false,
                    primitive => none, fallback => none}],
      class_methods => []}.
sum(Self) -> beamtalk_dispatch:super('Point3', instance, sum, Self, []) + beamtalk_object:field(Self, z).
'doesNotUnderstand:'(_Self, Message) -> {caught, Message}.
").

-define(CLASS, "
-module('bt@Class').
-export(['$class_info'/0, 'new:'/2, name/1]).
'$class_info'() ->
    #{name => 'Class', superclass => 'Object', kind => value, modifier => none, doc => nil,
      fields => [], defaults => [], class_vars => [], class_var_defaults => [],
      methods => [#{selector => 'new:', function => 'new:', arity => 2, source => <<>>,
                    doc => nil, sealed => false, primitive => {beamtalk_class, 'new:'},
                    fallback => none},
                  #{selector => name, function => name, arity => 1, source => <<>>,
                    doc => nil, sealed => false, primitive => {beamtalk_nowhere, name},
                    fallback => none}],
      class_methods => []}.
'new:'(C, F) -> beamtalk_class:'new:'(C, F).
name(C) -> beamtalk_nowhere:name(C).
").

-define(INT_DOUBLE, "
-module('bt@Integer@>>').
-export(['$method_info'/0, double/1]).
'$method_info'() ->
    #{class => 'Integer', side => instance,
      info => #{selector => double, function => double, arity => 1,
                source => <<\"double => self * 2\">>, doc => nil, sealed => false,
                primitive => none, fallback => none}}.
double(Self) -> Self * 2.
").

setup() ->
    beamtalk_fixture:fresh(),
    beamtalk_fixture:load_class(?CLASS),
    beamtalk_fixture:load_class(?POINT),
    beamtalk_fixture:load_class(?POINT3),
    ok.

registry_test_() ->
    {setup, fun setup/0, fun(_) -> beamtalk_classes:reset() end,
     [fun class_side_and_defaults/0, fun accessors/0, fun super_and_dnu_override/0,
      fun dnu_error/0, fun perform_and_responds_to/0, fun builtin_extension/0,
      fun reflection_data/0, fun class_state/0, fun missing_primitive/0,
      fun globals/0, fun current_checks/0, fun exact_local_sends/0]}.

class_side_and_defaults() ->
    P = 'bt@sel@origin':send({'$class', 'Point'}),
    ?assertEqual({'$inst', 'Point', #{x => 0, y => 0}}, P),
    ?assertEqual(0, 'bt@sel@sum':send(P)),
    ?assertEqual(<<"a Point(x: 0, y: 0)">>, beamtalk_print:print_string(P)).

accessors() ->
    P = {'$inst', 'Point', #{x => 3, y => 4}},
    ?assertEqual(3, 'bt@sel@x':send(P)),
    ?assertEqual({'$inst', 'Point', #{x => 9, y => 4}}, 'bt@sel@withX:':send(P, 9)),
    ?assertEqual(7, 'bt@sel@sum':send(P)).

super_and_dnu_override() ->
    Q = {'$inst', 'Point3', #{x => 1, y => 2, z => 3}},
    ?assertEqual(6, 'bt@sel@sum':send(Q)),
    ?assertEqual(point, 'bt@sel@describe':send(Q)),
    ?assertEqual(3, beamtalk_dispatch:send(Q, z, [])),
    ?assertEqual({caught, {'$message', frobnicate, [1]}},
                 beamtalk_dispatch:send(Q, frobnicate, [1])).

dnu_error() ->
    P = {'$inst', 'Point', #{x => 3, y => 4}},
    try beamtalk_dispatch:send(P, frobnicate, []) of
        V -> ?assertEqual(error_expected, V)
    catch error:E ->
        ?assertEqual(does_not_understand, beamtalk_error:kind(E)),
        ?assertEqual(<<"a Point(x: 3, y: 4) does not understand #frobnicate">>,
                     beamtalk_error:message_text(E)),
        ?assertEqual(frobnicate, beamtalk_error:selector(E)),
        ?assertEqual(P, beamtalk_error:receiver(E)),
        ?assertEqual([], beamtalk_error:arguments(E))
    end,
    %% A selector nothing defines: the loader made its module; it answers DNU too.
    {ok, _} = beamtalk_loader:load_core(beamtalk_fixture:core(
        "-module('bt@stmt').\n-export([run/1]).\nrun(E) -> {'bt@sel@zork:':send(1, 2), E}.\n")),
    ?assertError({'$exc', 'DoesNotUnderstand', _}, 'bt@sel@zork:':send(1, 2)).

perform_and_responds_to() ->
    P = {'$inst', 'Point', #{x => 3, y => 4}},
    ?assertEqual(7, beamtalk_dispatch:perform(P, sum, [])),
    ?assertEqual(true, beamtalk_dispatch:responds_to(P, sum)),
    ?assertEqual(true, beamtalk_dispatch:responds_to(P, x)),
    ?assertEqual(true, beamtalk_dispatch:responds_to(P, 'withY:')),
    ?assertEqual(false, beamtalk_dispatch:responds_to(P, frobnicate)),
    ?assertEqual(false, beamtalk_dispatch:responds_to(3, sum)),
    ?assertEqual(7, beamtalk_dispatch:perform(P, <<"sum">>, [])),
    ?assertError({'$exc', 'TypeError', _}, beamtalk_dispatch:perform(P, 3, [])),
    ?assertError({'$exc', 'ArgumentError', _}, beamtalk_dispatch:perform(P, sum, [1])),
    ?assertError({'$exc', 'TypeError', _}, beamtalk_dispatch:perform(P, sum, {})).

builtin_extension() ->
    ?assertError({'$exc', 'DoesNotUnderstand', _}, beamtalk_dispatch:send(21, double, [])),
    M = beamtalk_fixture:load_method(?INT_DOUBLE),
    ?assertEqual(<<"Integer>>#double">>, beamtalk_print:print_string(M)),
    ?assertEqual(42, 'bt@sel@double':send(21)),
    ?assertError({'$exc', 'DoesNotUnderstand', _}, 'bt@sel@double':send(2.5)),
    %% nil, true, false must not fall into a Symbol clause, nor tags into a Tuple clause.
    ?assertEqual(ok, beamtalk_dispatch:require_builtin(3)),
    ?assertError({'$exc', 'ArgumentError', _},
                 beamtalk_dispatch:require_builtin({'$inst', 'Point', #{}})).

reflection_data() ->
    ?assertEqual('Point', beamtalk_classes:superclass('Point3')),
    ?assertEqual([x, y, z], beamtalk_classes:all_fields('Point3')),
    ?assert(lists:member('Point3', beamtalk_classes:subclasses('Point'))),
    ?assert(beamtalk_classes:inherits_from('ZeroDivide', 'Error')),
    ?assertEqual(exception, beamtalk_classes:kind('ZeroDivide')),
    {'$method', {'$class', 'Point'}, sum, #{source := Source}} =
        beamtalk_reflect:compiled_method('Point', instance, sum),
    ?assertEqual(<<"sum => x + y">>, Source).

class_state() ->
    ?assertEqual(7, 'bt@sel@count':send({'$class', 'Point'})),
    beamtalk_classes:set_class_var('Point', count, 8),
    %% Redefinition keeps class state.
    beamtalk_fixture:load_class(?POINT),
    ?assertEqual(8, 'bt@sel@count':send({'$class', 'Point'})),
    %% One variable per declaring class, shared by subclasses.
    ?assertEqual(8, beamtalk_classes:class_var('Point3', count)).

missing_primitive() ->
    %% No primitive and no fallback: the spec's UnsupportedError, worded by the table.
    try 'bt@sel@name':send({'$class', 'Point'}) of
        Value -> error({unexpected, Value})
    catch error:{'$exc', 'UnsupportedError', _} = E ->
        ?assertEqual(unsupported, beamtalk_error:kind(E)),
        ?assertEqual(<<"Point class>>#name is not supported on this backend: it has no "
                       "primitive here and no Beamtalk fallback">>,
                     beamtalk_error:message_text(E))
    end.

globals() ->
    ?assertEqual({'$class', 'Point'}, beamtalk_classes:global('Point')),
    ?assertError({'$exc', 'UndefinedGlobal', _}, beamtalk_classes:global('Nope')),
    beamtalk_classes:set_global('Answer', 42),
    ?assertEqual(42, beamtalk_classes:global('Answer')).

reset_test() ->
    setup(),
    beamtalk_classes:mark_base(),
    beamtalk_fixture:load_class(re:replace(?POINT, "Point", "Extra", [global, {return, list}])),
    ?assert(beamtalk_classes:exists('Extra')),
    beamtalk_classes:reset(),
    ?assertNot(beamtalk_classes:exists('Extra')),
    ?assert(beamtalk_classes:exists('Point')).

reset_restores_dispatch_test() ->
    setup(),
    beamtalk_classes:mark_base(),
    beamtalk_fixture:load_method(?INT_DOUBLE),
    ?assertEqual(42, 'bt@sel@double':send(21)),
    beamtalk_fixture:load_class(re:replace(?POINT3, "Point3", "Extra", [global, {return, list}])),
    Extra = {'$inst', 'Extra', #{x => 1, y => 2, z => 3}},
    ?assertEqual(6, 'bt@sel@sum':send(Extra)),
    beamtalk_classes:reset(),
    ?assertError({'$exc', 'DoesNotUnderstand', _}, 'bt@sel@double':send(21)),
    ?assertError({'$exc', 'DoesNotUnderstand', _}, 'bt@sel@sum':send(Extra)),
    ?assertEqual(3, 'bt@sel@sum':send({'$inst', 'Point', #{x => 1, y => 2}})).

-define(NIL_NAME, "
-module('bt@UndefinedObject@>>').
-export(['$method_info'/0, label/1]).
'$method_info'() ->
    #{class => 'UndefinedObject', side => instance,
      info => #{selector => label, function => label, arity => 1, source => <<>>, doc => nil,
                sealed => false, primitive => none, fallback => none}}.
label(Self) -> {nothing, Self}.
").

-define(SYMBOL_NAME, "
-module('bt@Symbol@>>').
-export(['$method_info'/0, label/1]).
'$method_info'() ->
    #{class => 'Symbol', side => instance,
      info => #{selector => label, function => label, arity => 1, source => <<>>, doc => nil,
                sealed => false, primitive => none, fallback => none}}.
label(Self) -> {symbol, Self}.
").

atoms_and_tags_are_told_apart_test() ->
    setup(),
    beamtalk_fixture:load_method(?SYMBOL_NAME),
    beamtalk_fixture:load_method(?NIL_NAME),
    ?assertEqual({symbol, foo}, 'bt@sel@label':send(foo)),
    ?assertEqual({nothing, nil}, 'bt@sel@label':send(nil)),
    ?assertError({'$exc', 'DoesNotUnderstand', _}, 'bt@sel@label':send(true)),
    %% A Tuple clause does not catch tagged values.
    beamtalk_fixture:load_method(re:replace(?SYMBOL_NAME, "Symbol", "Tuple",
                                            [global, {return, list}])),
    ?assertEqual({symbol, {1, 2}}, 'bt@sel@label':send({1, 2})),
    ?assertError({'$exc', 'DoesNotUnderstand', _}, 'bt@sel@label':send({'$char', 97})),
    ?assertError({'$exc', 'DoesNotUnderstand', _},
                 'bt@sel@label':send({'$inst', 'Point', #{x => 1, y => 2}})).

-define(PT2, "
-module('bt@Pt2').
-export(['$class_info'/0, sum/1, check/1]).
'$class_info'() ->
    #{name => 'Pt2', superclass => 'Object', kind => value, modifier => none, doc => nil,
      fields => [], defaults => [], class_vars => [], class_var_defaults => [],
      methods => [#{selector => sum, function => sum, arity => 1, source => <<>>, doc => nil,
                    sealed => false, primitive => none, fallback => none},
                  #{selector => check, function => check, arity => 1, source => <<>>,
                    doc => nil, sealed => false, primitive => none, fallback => none}],
      class_methods => []}.
sum(_Self) -> 1.
check(_Self) -> 'bt@sel@sum':'$cur'('bt@Pt2').
").

-define(POINT_DESCRIBE, "
-module('bt@Point@>>').
-export(['$method_info'/0, describe/1]).
'$method_info'() ->
    #{class => 'Point', side => instance,
      info => #{selector => describe, function => describe, arity => 1, source => <<>>,
                doc => nil, sealed => false, primitive => none, fallback => none}}.
describe(_Self) -> new_point.
").

%% '$cur'/1 of a dispatch module: true for a class module whose own function is a method of
%% the selector (the guard of local self-sends), false once a >> definition replaces it; the
%% loader renames the module atom of such checks with the module.
current_checks() ->
    {PointModule, sum} = beamtalk_dispatch:resolve_instance('Point', sum),
    {Point3Module, sum} = beamtalk_dispatch:resolve_instance('Point3', sum),
    ?assertNotEqual('bt@Point', PointModule),
    ?assert('bt@sel@sum':'$cur'(PointModule)),
    ?assert('bt@sel@sum':'$cur'(Point3Module)),
    ?assertNot('bt@sel@sum':'$cur'('bt@Point')),
    ?assert('bt@sel@describe':'$cur'(PointModule)),
    ?assertNot('bt@sel@describe':'$cur'(Point3Module)),
    beamtalk_fixture:load_class(?PT2),
    ?assert('bt@sel@check':send({'$inst', 'Pt2', #{}})),
    beamtalk_fixture:load_method(?POINT_DESCRIBE),
    ?assertEqual(new_point, 'bt@sel@describe':send({'$inst', 'Point', #{x => 1, y => 2}})),
    ?assertNot('bt@sel@describe':'$cur'(PointModule)),
    ?assert('bt@sel@sum':'$cur'(PointModule)).

-define(WALKER, "
-module('bt@Walker').
-export(['$class_info'/0, steps/2, 'steps$exact'/2, tag/1]).
'$class_info'() ->
    #{name => 'Walker', superclass => 'Object', kind => value, modifier => none, doc => nil,
      fields => [], defaults => [], class_vars => [], class_var_defaults => [],
      methods => [#{selector => 'steps:', function => steps, arity => 2, source => <<>>,
                    doc => nil, sealed => false, primitive => none, fallback => none},
                  #{selector => tag, function => tag, arity => 1, source => <<>>, doc => nil,
                    sealed => false, primitive => none, fallback => none}],
      class_methods => []}.
steps(Self, N) -> 'steps$exact'(Self, N).
'steps$exact'(_Self, 0) -> [];
'steps$exact'(Self, N) ->
    [tag(Self) | 'bt@sel@steps:':'$local bt@Walker'(Self, N - 1)].
tag(_) -> walker.
").

-define(WALKER_STEPS, "
-module('bt@Walker@>>').
-export(['$method_info'/0, steps/2]).
'$method_info'() ->
    #{class => 'Walker', side => instance,
      info => #{selector => 'steps:', function => steps, arity => 2, source => <<>>,
                doc => nil, sealed => false, primitive => none, fallback => none}}.
steps(_Self, N) -> {replaced, N}.
").

%% The `'$local <module>'` functions of a dispatch module (an exact variant's self-sends):
%% a tail call of the exact variant (or, without one, the function) of the method the
%% module's class has itself, in its class module or, after a `>>` definition, in that
%% module (no '$handle_undefined_function' path); once it has none, the function is
%% undefined and '$handle_undefined_function' sends instead; the loader renames the module
%% in the function's name.
exact_local_sends() ->
    {ok, Renamed, Binary} = beamtalk_loader:compile_core(beamtalk_fixture:core(?WALKER), rename),
    {ok, {_, [{imports, Imports}]}} = beam_lib:chunks(Binary, [imports]),
    Local = list_to_atom("$local " ++ atom_to_list(Renamed)),
    ?assert(lists:member({'bt@sel@steps:', Local, 2}, Imports)),
    beamtalk_fixture:load_class(?WALKER),
    {Module, steps} = beamtalk_dispatch:resolve_instance('Walker', 'steps:'),
    Name = list_to_atom("$local " ++ atom_to_list(Module)),
    Walker = {'$inst', 'Walker', #{}},
    ?assert(erlang:function_exported('bt@sel@steps:', Name, 2)),
    % a method without an exact variant (it sends nothing to itself): its function
    ?assert(erlang:function_exported('bt@sel@tag', Name, 1)),
    ?assertEqual(walker, apply('bt@sel@tag', Name, [Walker])),
    ?assertEqual([walker, walker, walker], 'bt@sel@steps:':send(Walker, 3)),
    beamtalk_fixture:load_method(?WALKER_STEPS),
    {Method, steps} = beamtalk_dispatch:resolve_instance('Walker', 'steps:'),
    ?assertNotEqual(Module, Method),
    ?assert(erlang:function_exported('bt@sel@steps:', Name, 2)),
    ?assertEqual({replaced, 2}, apply('bt@sel@steps:', Name, [Walker, 2])),
    ?assertEqual([walker | {replaced, 1}], Module:'steps$exact'(Walker, 2)),
    true = beamtalk_classes:remove_method('Walker', instance, 'steps:'),
    ?assertNot(erlang:function_exported('bt@sel@steps:', Name, 2)),
    ?assertError({'$exc', _, _}, apply('bt@sel@steps:', Name, [Walker, 2])),
    ?assertError(undef, apply('bt@sel@steps:', nothing, [Walker, 2])).
