%% Reflection and system primitives: Class, Metaclass, CompiledMethod, Object's reflection,
%% Beamtalk, System, File, Time, Delay, Transcript.
-module(beamtalk_reflection_tests).
-include_lib("eunit/include/eunit.hrl").

-define(BOX, "
-module('bt@Box').
-export(['$class_info'/0, '$default'/1, size/1, 'class empty'/1]).
'$class_info'() ->
    #{name => 'Box', superclass => 'Object', kind => value, modifier => none,
      doc => <<\"A box.\">>, fields => [width, height], defaults => [width],
      class_vars => [made], class_var_defaults => [],
      methods => [#{selector => size, function => size, arity => 1,
                    source => <<\"size => width * height\">>, doc => nil, sealed => false,
                    primitive => none, fallback => none}],
      class_methods => [#{selector => empty, function => 'class empty', arity => 1,
                          source => <<\"class empty => self new\">>, doc => nil,
                          sealed => false, primitive => none, fallback => none}]}.
'$default'(width) -> 2.
size(S) -> beamtalk_object:field(S, width) * beamtalk_object:field(S, height).
'class empty'(C) -> beamtalk_class:new(C).
").

-define(BOX_CLASS, {'$class', 'Box'}).

setup() ->
    beamtalk_fixture:fresh(),
    beamtalk_fixture:load_class(?BOX),
    ok.

class_reflection_test() ->
    setup(),
    ?assertEqual(<<"Box">>, beamtalk_class:name(?BOX_CLASS)),
    ?assertEqual({'$class', 'Object'}, beamtalk_class:superclass(?BOX_CLASS)),
    ?assertEqual([size], beamtalk_class:methods(?BOX_CLASS)),
    ?assertEqual([width, height], beamtalk_class:instanceVariableNames(?BOX_CLASS)),
    ?assertEqual([made], beamtalk_class:classVariableNames(?BOX_CLASS)),
    ?assertEqual(<<"A box.">>, beamtalk_class:doc(?BOX_CLASS)),
    ?assert(beamtalk_class:'includesSelector:'(?BOX_CLASS, <<"size">>)),
    M = beamtalk_class:'>>'(?BOX_CLASS, size),
    ?assertEqual(<<"Box>>#size">>, beamtalk_print:print_string(M)),
    ?assertEqual(<<"size => width * height">>, beamtalk_compiledmethod:source(M)),
    ?assertEqual(0, beamtalk_compiledmethod:argumentCount(M)),
    ?assertEqual(?BOX_CLASS, beamtalk_compiledmethod:methodClass(M)),
    ?assertEqual(nil, beamtalk_class:'>>'(?BOX_CLASS, nothing)),
    Meta = {'$metaclass', 'Box'},
    ?assertEqual([empty], beamtalk_metaclass:methods(Meta)),
    ?assertEqual(<<"Box class>>#empty">>,
                 beamtalk_print:print_string(beamtalk_metaclass:'>>'(Meta, empty))),
    ?assertEqual(<<"Box class">>, beamtalk_metaclass:name(Meta)),
    ?assertEqual(?BOX_CLASS, beamtalk_metaclass:instanceClass(Meta)).

instantiation_test() ->
    setup(),
    ?assertEqual({'$inst', 'Box', #{width => 2, height => nil}}, beamtalk_class:new(?BOX_CLASS)),
    ?assertEqual({'$inst', 'Box', #{width => 5, height => 1}},
                 beamtalk_class:'new:'(?BOX_CLASS, #{width => 5, height => 1})),
    ?assertError({'$exc', 'ArgumentError', _}, beamtalk_class:'new:'(?BOX_CLASS, #{depth => 1})),
    ?assertError({'$exc', 'InstantiationError', _}, beamtalk_class:new({'$class', 'Integer'})),
    ?assertError({'$exc', 'InstantiationError', _}, beamtalk_class:spawn(?BOX_CLASS)),
    ?assertEqual([], beamtalk_class:new({'$class', 'List'})),
    ?assertEqual(#{a => 1}, beamtalk_class:'new:'({'$class', 'Dictionary'}, #{a => 1})),
    %% The sugar of LANGUAGE.md 2.7: keywords that all name fields.
    ?assertEqual({'$inst', 'Box', #{width => 3, height => 4}},
                 beamtalk_object:instantiate(?BOX_CLASS, new, 'width:height:', [3, 4])).

remove_selector_test() ->
    setup(),
    M = beamtalk_class:'removeSelector:'(?BOX_CLASS, size),
    ?assertEqual(<<"Box>>#size">>, beamtalk_print:print_string(M)),
    ?assertEqual(false, beamtalk_dispatch:responds_to({'$inst', 'Box', #{}}, size)),
    ?assertEqual(nil, beamtalk_class:'removeSelector:'(?BOX_CLASS, size)).

object_reflection_test() ->
    setup(),
    B = {'$inst', 'Box', #{width => 2, height => 3}},
    ?assertEqual(<<"a Box(width: 2, height: 3)\n  width: 2\n  height: 3\n  methods: #(#size)">>,
                 beamtalk_object:inspect(B)),
    ?assertEqual([width, height], beamtalk_object:instVarNames(B)),
    ?assertEqual(3, beamtalk_object:'instVarAt:'(B, height)),
    ?assertError({'$exc', 'ArgumentError', _}, beamtalk_object:'instVarAt:'(B, depth)),
    ?assertError({'$exc', 'ImmutableValue', _}, beamtalk_object:'instVarAt:put:'(B, height, 1)),
    ?assertEqual(6, beamtalk_object:'perform:'(B, size)),
    ?assert(beamtalk_object:'respondsTo:'(B, width)),
    ?assertEqual([], beamtalk_object:instVarNames(3)),
    ?assertError({'$exc', 'DoesNotUnderstand', _},
                 beamtalk_object:'doesNotUnderstand:'(B, {'$message', foo, []})).

beamtalk_globals_test() ->
    setup(),
    B = {'$class', 'Beamtalk'},
    ?assert(lists:member(?BOX_CLASS, beamtalk_beamtalk:'class allClasses'(B))),
    ?assertEqual(?BOX_CLASS, beamtalk_beamtalk:'class classNamed:'(B, <<"Box">>)),
    ?assertEqual(nil, beamtalk_beamtalk:'class classNamed:'(B, 'Nope')),
    ?assertEqual(7, beamtalk_beamtalk:'class at:put:'(B, 'Seven', 7)),
    ?assertEqual(7, beamtalk_beamtalk:'class at:'(B, <<"Seven">>)),
    ?assert(beamtalk_beamtalk:'class includesKey:'(B, 'Seven')),
    ?assertError({'$exc', 'KeyNotFound', _}, beamtalk_beamtalk:'class at:'(B, 'Eight')),
    ?assertMatch(<<"Beamtalk ", _/binary>>, beamtalk_beamtalk:'class version'(B)).

system_and_files_test() ->
    S = {'$class', 'System'},
    F = {'$class', 'File'},
    ?assertEqual(nil, beamtalk_system:'class environmentAt:'(S, <<"BEAMTALK_SURELY_UNSET">>)),
    ?assertError({'$exc', 'ArgumentError', _}, beamtalk_system:'class exit:'(S, 300)),
    Dir = filename:join(["/tmp", "beamtalk_file_test_" ++ os:getpid()]),
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    Path = unicode:characters_to_binary(filename:join(Dir, "a.txt")),
    ?assertEqual(F, beamtalk_file:'class write:to:'(F, <<"héllo"/utf8>>, Path)),
    ?assertEqual(<<"héllo"/utf8>>, beamtalk_file:'class readAll:'(F, Path)),
    ?assert(beamtalk_file:'class exists:'(F, Path)),
    ?assertEqual([<<"a.txt">>], beamtalk_file:'class listDirectory:'(F, unicode:characters_to_binary(Dir))),
    Missing = <<Path/binary, ".missing">>,
    try beamtalk_file:'class readAll:'(F, Missing) of _ -> ?assert(false)
    catch error:E ->
            ?assertEqual(<<Missing/binary, ": no such file or directory">>,
                         beamtalk_error:message_text(E)),
            ?assertEqual(file_not_found, beamtalk_error:kind(E))
    end,
    beamtalk_file:'class write:to:'(F, <<"ok", 233>>, Path),
    ?assertError({'$exc', 'IOError', #{'$messageText' := <<_/binary>>}},
                 beamtalk_file:'class readAll:'(F, Path)),
    file:delete(Path), file:del_dir(Dir).

time_and_delay_test() ->
    T0 = beamtalk_time:'class millisecondClock'({'$class', 'Time'}),
    D = beamtalk_delay:'class forMilliseconds:'({'$class', 'Delay'}, 5),
    ?assertEqual(D, beamtalk_delay:wait(D)),
    ?assert(beamtalk_time:'class millisecondClock'({'$class', 'Time'}) >= T0 + 5),
    ?assertEqual({'$inst', 'Delay', #{milliseconds => 2000}},
                 beamtalk_delay:'class forSeconds:'({'$class', 'Delay'}, 2)),
    ?assertError({'$exc', 'ArgumentError', _},
                 beamtalk_delay:'class forMilliseconds:'({'$class', 'Delay'}, -1)).

transcript_test() ->
    beamtalk_classes:ensure_started(),
    register(beamtalk_output, self()),
    T = {'$class', 'Transcript'},
    try
        ?assertEqual(T, beamtalk_transcript:'class show:'(T, <<"a">>)),
        beamtalk_transcript:'class print:'(T, <<"b">>),
        beamtalk_transcript:'class cr'(T),
        ?assertEqual([<<"a">>, <<"'b'">>, <<"\n">>], collect(3))
    after unregister(beamtalk_output)
    end.

collect(0) -> [];
collect(N) -> receive {beamtalk_output, out, Text} -> [Text | collect(N - 1)]
              after 1000 -> [] end.
