%% EUnit: the field encoding of the `compile` and `build` requests (beamtalk_compiler), and
%% `build` writing deterministic .beam files under the compiler's module names.
-module(beamtalk_compiler_tests).
-include_lib("eunit/include/eunit.hrl").

fields_round_trip_test() ->
    Fields = [<<>>, <<"ok">>, <<"a:b:c">>, <<"12:34">>, <<0, 255, $\n>>,
              <<"é and ∑"/utf8>>, binary:copy(<<"x">>, 1000)],
    Encoded = iolist_to_binary(beamtalk_compiler:encode_fields(Fields)),
    ?assertEqual(Fields, beamtalk_compiler:decode_fields(Encoded)).

byte_lengths_test() ->
    %% The length counts bytes, not characters (the Python side decodes the same way).
    ?assertEqual(<<"2:\303\251">>, iolist_to_binary(beamtalk_compiler:encode_fields([<<"é"/utf8>>]))).

empty_test() ->
    ?assertEqual([], beamtalk_compiler:decode_fields(<<>>)).

build_is_deterministic_test() ->
    Core = <<"module 'bt@eunit@Built' ['f'/0, 'module_info'/0, 'module_info'/1]\n"
             "  attributes []\n"
             "'f'/0 = fun () -> 42\n"
             "'module_info'/0 = fun () -> call 'erlang':'get_module_info'('bt@eunit@Built')\n"
             "'module_info'/1 = fun (X) -> call 'erlang':'get_module_info'('bt@eunit@Built', X)\n"
             "end\n">>,
    Dir = filename:join(["/tmp", "beamtalk_compiler_tests_" ++ os:getpid()]),
    try
        ?assertEqual({ok, ['bt@eunit@Built']}, beamtalk_compiler:build([Core], Dir)),
        File = filename:join(Dir, "bt@eunit@Built.beam"),
        {ok, First} = file:read_file(File),
        {ok, _} = beamtalk_compiler:build([Core], Dir),
        ?assertEqual({ok, First}, file:read_file(File)),
        ?assertMatch({error, _}, beamtalk_compiler:build([<<"module 'x' [">>], Dir))
    after
        _ = file:del_dir_r(Dir)
    end.
