%% EUnit: the HTTP model (beamtalk_model) against a chat-completions endpoint on 127.0.0.1
%% that the test runs itself (gen_tcp), and the JSON it speaks (beamtalk_json).
-module(beamtalk_model_tests).
-include_lib("eunit/include/eunit.hrl").

%% ------------------------------------------------------------------ JSON

json_encode_test() ->
    ?assertEqual(<<"{\"a\": [1, \"h\\u00e9\\n\\ud83d\\ude00\", null], \"b\": {\"z\": 1, \"a\": 2.5}}">>,
                 beamtalk_json:encode(#{a => [1, <<"h"/utf8, 233/utf8, 10, 128512/utf8>>, null],
                                        <<"b">> => {obj, [{<<"z">>, 1}, {<<"a">>, 2.5}]}})),
    %% floats as Python's repr writes them
    ?assertEqual([<<"1.0">>, <<"0.1">>, <<"1e+16">>, <<"1.5e-05">>, <<"0.0001">>,
                  <<"2.5e+100">>, <<"-0.0">>, <<"1000000000000000.0">>],
                 [beamtalk_json:encode(F) || F <- [1.0, 0.1, 1.0e16, 1.5e-5, 1.0e-4, 2.5e100,
                                                   -0.0, 1.0e15]]).

json_decode_test() ->
    ?assertEqual({ok, {obj, [{<<"a">>, [1, -2500.0, <<"x"/utf8, 233/utf8, 128512/utf8>>, true,
                                        null, {obj, []}]},
                             {<<"b">>, []}]}},
                 beamtalk_json:decode(<<" {\"a\": [1, -2.5e3, \"x\\u00e9\\ud83d\\ude00\", true,"
                                        " null, {}], \"b\" : []} ">>)),
    [?assertEqual(error, beamtalk_json:decode(Bad))
     || Bad <- [<<"01">>, <<"[1,]">>, <<"{\"a\" 1}">>, <<"\"\\ud800\"">>, <<"nul">>, <<>>,
                <<"[1] x">>, <<"NaN">>]],
    ?assertEqual(<<"x">>, beamtalk_json:get(<<"k">>, {obj, [{<<"k">>, <<"x">>}]})),
    ?assertEqual(undefined, beamtalk_json:get(<<"k">>, [1])).

json_round_trip_test() ->
    T = {obj, [{<<"s">>, <<"tab\t \"q\" \\ /"/utf8>>}, {<<"n">>, [-12345678901234567890, 0.5]},
               {<<"o">>, {obj, [{<<"e">>, {obj, []}}]}}]},
    ?assertEqual({ok, T}, beamtalk_json:decode(beamtalk_json:encode(T))).

%% ------------------------------------------------------------------ a local endpoint

%% Serve one HTTP request per Reply on 127.0.0.1; each request body goes to the test process.
serve(Replies) ->
    Test = self(),
    {ok, Listen} = gen_tcp:listen(0, [binary, {ip, {127, 0, 0, 1}}, {active, false},
                                      {reuseaddr, true}]),
    {ok, Port} = inet:port(Listen),
    Pid = spawn_link(fun() -> serve_loop(Listen, Replies, Test) end),
    ok = gen_tcp:controlling_process(Listen, Pid),
    {Port, Pid}.

serve_loop(Listen, [], _) -> gen_tcp:close(Listen);
serve_loop(Listen, [{Status, Body} | Rest], Test) ->
    {ok, S} = gen_tcp:accept(Listen),
    {Head, Got} = read_request(S, <<>>),
    Test ! {request, Head, Got},
    Reason = case Status of 200 -> "OK"; _ -> "Error" end,
    ok = gen_tcp:send(S, [<<"HTTP/1.1 ">>, integer_to_list(Status), " ", Reason, "\r\n",
                          "Content-Type: application/json\r\nConnection: close\r\n",
                          "Content-Length: ", integer_to_list(byte_size(Body)), "\r\n\r\n",
                          Body]),
    gen_tcp:close(S),
    serve_loop(Listen, Rest, Test).

read_request(S, Acc) ->
    case binary:split(Acc, <<"\r\n\r\n">>) of
        [Head, Body] ->
            {match, [Len]} = re:run(Head, "(?i)content-length: *([0-9]+)",
                                    [{capture, all_but_first, binary}]),
            {Head, read_body(S, Body, binary_to_integer(Len))};
        [_] ->
            {ok, More} = gen_tcp:recv(S, 0, 5000),
            read_request(S, <<Acc/binary, More/binary>>)
    end.

read_body(_, Body, Len) when byte_size(Body) >= Len -> Body;
read_body(S, Body, Len) ->
    {ok, More} = gen_tcp:recv(S, 0, 5000),
    read_body(S, <<Body/binary, More/binary>>, Len).

endpoint(Port) -> <<"http://127.0.0.1:", (integer_to_binary(Port))/binary, "/v1">>.

chat(Port, Prompt, Context) ->
    Model = beamtalk_model:make(gpt_test, endpoint(Port)),
    Tools = beamtalk_toolregistry:'class default'(nil),
    beamtalk_model:'chat:context:tools:'(Model, Prompt, Context, Tools).

error_text(Fun) ->
    try Fun() of V -> {value, V}
    catch error:{'$exc', _, _} = E -> beamtalk_error:message_text(E)
    end.

reply(Content) ->
    beamtalk_json:encode(#{choices => [#{message => #{role => assistant, content => Content}}]}).

http_model_test_() ->
    {setup, fun() -> beamtalk_fixture:fresh() end, fun(_) -> ok end,
     [fun speaks_chat_completions/0, fun failures_are_errors/0, fun unreachable/0,
      fun bad_endpoint/0]}.

speaks_chat_completions() ->
    os:putenv("BEAMTALK_LLM_API_KEY", "sk-test"),
    {Port, _} = serve([{200, reply(<<"Hi">>)}]),
    Context = [#{question => <<"q1">>, response => <<"r1">>}, <<"note">>],
    try
        ?assertEqual(<<"Hi">>, chat(Port, <<"hello">>, Context))
    after
        os:unsetenv("BEAMTALK_LLM_API_KEY")
    end,
    receive
        {request, Head, Body} ->
            ?assertMatch(<<"POST /v1/chat/completions ", _/binary>>, Head),
            ?assertMatch({match, _}, re:run(Head, "(?i)authorization: Bearer sk-test")),
            ?assertEqual(<<"{\"model\": \"gpt_test\", \"messages\": ["
                           "{\"role\": \"user\", \"content\": \"q1\"}, "
                           "{\"role\": \"assistant\", \"content\": \"r1\"}, "
                           "{\"role\": \"user\", \"content\": \"note\"}, "
                           "{\"role\": \"user\", \"content\": \"hello\"}]}">>, Body)
    after 5000 -> ?assert(false)
    end.

failures_are_errors() ->
    Cases = [{{500, <<"{\"error\": {\"message\": \"boom\"}}">>}, <<"HTTP 500 from http://127.0.0.1:">>},
             {{200, <<"<html>not json">>}, <<"did not answer JSON: <html>not json">>},
             {{200, <<"{\"choices\": []}">>}, <<"unexpected reply from">>},
             {{200, <<"{\"error\": {\"message\": \"quota\"}}">>}, <<"answered an error: quota">>},
             {{200, reply(null)}, <<"has no text">>}],
    [begin
         {Port, _} = serve([Reply]),
         Text = error_text(fun() -> chat(Port, <<"x">>, []) end),
         ?assertMatch(<<"Model #gpt_test: ", _/binary>>, Text),
         ?assertNotEqual(nomatch, binary:match(Text, Expected)),
         receive {request, _, _} -> ok after 5000 -> ok end
     end || {Reply, Expected} <- Cases].

unreachable() ->
    {ok, L} = gen_tcp:listen(0, [{ip, {127, 0, 0, 1}}]),
    {ok, Port} = inet:port(L),
    gen_tcp:close(L),   % nothing listens there now
    Text = error_text(fun() -> chat(Port, <<"x">>, []) end),
    ?assertNotEqual(nomatch, binary:match(Text, <<"cannot reach http://127.0.0.1:">>)).

bad_endpoint() ->
    Model = beamtalk_model:make(local, <<"file:///etc">>),
    Text = error_text(fun() -> beamtalk_model:'chat:context:tools:'(
                                 Model, <<"x">>, [], beamtalk_toolregistry:'class default'(nil))
                      end),
    ?assertNotEqual(nomatch, binary:match(Text, <<"must be an http:// or https:// URL">>)).
