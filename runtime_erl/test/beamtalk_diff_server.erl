%% The Erlang end of the differential tests (tests/test_runtime_erl_diff.py): reads one
%% request per line on standard input, answers one line on standard output, and halts at
%% end of input.  Not distributed (started without a node name).
%%
%% A request is an Erlang term followed by `.`:
%%   {print, Value}                  -> "ok HEX(printString) HEX(displayString)"
%%   {call, Module, Function, Args}  -> "ok HEX(printString of the answer)"
%%                                      or "error KIND HEX(messageText)" (HEX of "" if nil)
%% Anything else that goes wrong answers "crash HEX(description)".  Values are written as
%% runtime terms, except that Strings, Symbols and Floats travel as {'$$str', Bytes},
%% {'$$sym', Bytes} and {'$$float', IEEEBits}, so the request text stays ASCII and exact.
-module(beamtalk_diff_server).
-export([main/0, decode/1]).

-spec main() -> no_return().
main() ->
    ok = io:setopts(standard_io, [binary]),
    loop().

loop() ->
    case io:get_line(standard_io, "") of
        eof -> halt(0);
        {error, _} -> halt(1);
        Line ->
            Reply = try answer(parse(Line))
                    catch Class:Reason:Stack ->
                        ["crash ", hex(io_lib:format("~p:~p ~p", [Class, Reason, Stack]))]
                    end,
            io:put_chars(standard_io, [Reply, $\n]),
            loop()
    end.

parse(Line) ->
    {ok, Tokens, _} = erl_scan:string(binary_to_list(Line)),
    {ok, Term} = erl_parse:parse_term(Tokens),
    decode(Term).

answer({print, V}) ->
    ["ok ", hex(beamtalk_print:print_string(V)), " ", hex(beamtalk_print:display_string(V))];
answer({call, Module, Function, Args}) ->
    case atom_to_list(Module) of
        "beamtalk_" ++ _ -> ok
    end,
    try erlang:apply(Module, Function, Args) of
        Result -> ["ok ", hex(beamtalk_print:print_string(Result))]
    catch error:{'$exc', _, _} = E ->
        Text = case beamtalk_error:message_text(E) of
                   nil -> <<>>;
                   T -> T
               end,
        ["error ", atom_to_binary(beamtalk_error:kind(E)), " ", hex(Text)]
    end.

-spec decode(term()) -> term().
%% @doc A request term with the transport encodings replaced by runtime terms.
decode({'$$str', Bytes}) -> list_to_binary(Bytes);
decode({'$$sym', Bytes}) -> binary_to_atom(list_to_binary(Bytes), utf8);
decode({'$$float', Bits}) -> <<F/float>> = <<Bits:64>>, F;
decode(L) when is_list(L) -> [decode(X) || X <- L];
decode(M) when is_map(M) -> maps:from_list([{decode(K), decode(V)} || {K, V} <- maps:to_list(M)]);
decode(T) when is_tuple(T) -> list_to_tuple(decode(tuple_to_list(T)));
decode(X) -> X.

hex(IoData) -> binary:encode_hex(iolist_to_binary(IoData)).
