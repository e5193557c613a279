-module(beamtalk_json).
%% @doc JSON (RFC 8259) for the HTTP model (beamtalk_model): written here because a fresh
%% Debian machine has no JSON library for Erlang (OTP 25 ships none; `json` arrives in OTP 27,
%% and jsx/jiffy are not packaged with erlang-nox), and the runtime must build with erlc alone.
%%
%% Terms: an object is `{obj, [{KeyBinary, Value}]}` (member order kept, so a message sent
%% back to the provider and the excerpts in error texts read as the interpreter's do), an
%% array a list, a string a UTF-8 binary, numbers integers or floats, and `true`, `false`,
%% `null`. encode/1 also takes maps with binary or atom keys (written in key order).
%% The text encode/1 writes is what Python's `json.dumps` writes by default (`", "` and
%% `": "` separators, non-ASCII as `\uXXXX`), so both backends send and quote the same bytes.

-export([encode/1, decode/1, get/2, get/3]).

-spec encode(term()) -> binary().
%% @doc The JSON text of a term.
encode(T) -> iolist_to_binary(enc(T)).

enc(true) -> <<"true">>;
enc(false) -> <<"false">>;
enc(null) -> <<"null">>;
enc(nil) -> <<"null">>;
enc(N) when is_integer(N) -> integer_to_binary(N);
enc(F) when is_float(F) -> float_text(F);
enc(B) when is_binary(B) -> string(B);
enc(A) when is_atom(A) -> string(atom_to_binary(A, utf8));
enc({obj, Members}) -> object(Members);
enc(M) when is_map(M) -> object(lists:sort(maps:to_list(M)));
enc(L) when is_list(L) -> [$[, join([enc(E) || E <- L]), $]].

object(Members) ->
    [${, join([[string(key(K)), <<": ">>, enc(V)] || {K, V} <- Members]), $}].

key(K) when is_binary(K) -> K;
key(K) when is_atom(K) -> atom_to_binary(K, utf8).

join([]) -> [];
join([H | T]) -> [H | [[<<", ">>, E] || E <- T]].

%% Python's repr of a float (what json.dumps writes): the shortest digits that read back
%% (beamtalk_float_text:digits/1), positional when the leading digit's exponent is in -4..15,
%% else `d.ddde+XX`.
float_text(F) ->
    {Sign, Digits, E} = beamtalk_float_text:digits(F),   % |F| = 0.Digits * 10^E
    Exp = E - 1,                                          % the leading digit's exponent
    Text = case Exp >= -4 andalso Exp < 16 of
               true when Exp >= 0 ->
                   Whole = Digits ++ lists:duplicate(max(0, Exp + 1 - length(Digits)), $0),
                   {I, Fr} = lists:split(Exp + 1, Whole),
                   I ++ "." ++ case Fr of "" -> "0"; _ -> Fr end;
               true -> "0." ++ lists:duplicate(-Exp - 1, $0) ++ Digits;
               false ->
                   [D1 | Rest] = Digits,
                   ExpSign = case Exp < 0 of true -> "-"; false -> "+" end,
                   [D1] ++ case Rest of "" -> ""; _ -> "." ++ Rest end ++ "e" ++ ExpSign
                       ++ two_digits(integer_to_list(abs(Exp)))
           end,
    list_to_binary([Sign, Text]).

two_digits([D]) -> [$0, D];
two_digits(Ds) -> Ds.

string(B) -> [$", escape(unicode:characters_to_list(B, utf8)), $"].

escape([]) -> [];
escape([$" | T]) -> [$\\, $" | escape(T)];
escape([$\\ | T]) -> [$\\, $\\ | escape(T)];
escape([$\n | T]) -> [$\\, $n | escape(T)];
escape([$\r | T]) -> [$\\, $r | escape(T)];
escape([$\t | T]) -> [$\\, $t | escape(T)];
escape([$\b | T]) -> [$\\, $b | escape(T)];
escape([$\f | T]) -> [$\\, $f | escape(T)];
escape([C | T]) when C < 16#20; C > 16#7E -> [u_escape(C) | escape(T)];
escape([C | T]) -> [C | escape(T)].

u_escape(C) when C > 16#FFFF ->
    V = C - 16#10000,
    [u_escape(16#D800 bor (V bsr 10)), u_escape(16#DC00 bor (V band 16#3FF))];
u_escape(C) -> io_lib:format("\\u~4.16.0b", [C]).

%% ------------------------------------------------------------------ decoding

-spec decode(binary()) -> {ok, term()} | error.
%% @doc The term of a JSON text (the whole text, surrounding whitespace allowed).
decode(Bin) when is_binary(Bin) ->
    try
        {V, Rest} = value(ws(Bin)),
        <<>> = ws(Rest),
        {ok, V}
    catch error:_ -> error
    end.

-spec get(binary(), term()) -> term().
%% @doc An object's member (`undefined` when absent or not an object).
get(Key, Obj) -> get(Key, Obj, undefined).

-spec get(binary(), term(), term()) -> term().
get(Key, {obj, Members}, Default) ->
    case lists:keyfind(Key, 1, Members) of
        {_, V} -> V;
        false -> Default
    end;
get(_, _, Default) -> Default.

ws(<<C, R/binary>>) when C =:= $\s; C =:= $\t; C =:= $\n; C =:= $\r -> ws(R);
ws(B) -> B.

value(<<"{", R/binary>>) -> members(ws(R), []);
value(<<"[", R/binary>>) -> elements(ws(R), []);
value(<<"\"", R/binary>>) -> str(R, []);
value(<<"true", R/binary>>) -> {true, R};
value(<<"false", R/binary>>) -> {false, R};
value(<<"null", R/binary>>) -> {null, R};
value(<<C, _/binary>> = B) when C =:= $-; C >= $0, C =< $9 -> number(B).

members(<<"}", R/binary>>, []) -> {{obj, []}, R};
members(<<"\"", R/binary>>, Acc) ->
    {K, R1} = str(R, []),
    <<":", R2/binary>> = ws(R1),
    {V, R3} = value(ws(R2)),
    Acc1 = [{K, V} | Acc],
    case ws(R3) of
        <<",", R4/binary>> -> members(ws(R4), Acc1);
        <<"}", R4/binary>> -> {{obj, lists:reverse(Acc1)}, R4}
    end.

elements(<<"]", R/binary>>, []) -> {[], R};
elements(B, Acc) ->
    {V, R} = value(B),
    case ws(R) of
        <<",", R1/binary>> -> elements(ws(R1), [V | Acc]);
        <<"]", R1/binary>> -> {lists:reverse([V | Acc]), R1}
    end.

str(<<"\"", R/binary>>, Acc) ->
    {unicode:characters_to_binary(lists:reverse(Acc)), R};
str(<<"\\", C, R/binary>>, Acc) when C =/= $u ->
    Ch = case C of
             $" -> $"; $\\ -> $\\; $/ -> $/; $b -> $\b; $f -> $\f;
             $n -> $\n; $r -> $\r; $t -> $\t
         end,
    str(R, [Ch | Acc]);
str(<<"\\u", H:4/binary, R/binary>>, Acc) ->
    case binary_to_integer(H, 16) of
        Hi when Hi >= 16#D800, Hi =< 16#DBFF ->
            case R of
                <<"\\u", L:4/binary, R2/binary>> ->
                    Lo = binary_to_integer(L, 16),
                    true = Lo >= 16#DC00 andalso Lo =< 16#DFFF,
                    str(R2, [16#10000 + ((Hi - 16#D800) bsl 10) + (Lo - 16#DC00) | Acc])
            end;
        Lo when Lo >= 16#DC00, Lo =< 16#DFFF -> erlang:error(lone_surrogate);
        C -> str(R, [C | Acc])
    end;
str(<<C/utf8, R/binary>>, Acc) when C >= 16#20 -> str(R, [C | Acc]).

number(B) ->
    {Int, R1} = digits_signed(B),
    {Frac, R2} = case R1 of
                     <<".", D, _/binary>> when D >= $0, D =< $9 ->
                         <<".", R1a/binary>> = R1,
                         {F, Rf} = digits(R1a, []),
                         {F, Rf};
                     _ -> {none, R1}
                 end,
    {Exp, R3} = case R2 of
                    <<E, R2a/binary>> when E =:= $e; E =:= $E ->
                        {Sign, R2b} = case R2a of
                                          <<"-", X/binary>> -> {"-", X};
                                          <<"+", X/binary>> -> {"", X};
                                          X -> {"", X}
                                      end,
                        {Ds, R2c} = digits(R2b, []),
                        {Sign ++ Ds, R2c};
                    _ -> {none, R2}
                end,
    case {Frac, Exp} of
        {none, none} -> {list_to_integer(Int), R3};
        _ ->
            F1 = case Frac of none -> "0"; _ -> Frac end,
            E1 = case Exp of none -> "0"; _ -> Exp end,
            {list_to_float(Int ++ "." ++ F1 ++ "e" ++ E1), R3}
    end.

digits_signed(<<"-", R/binary>>) ->
    {D, R1} = int_part(R),
    {"-" ++ D, R1};
digits_signed(R) -> int_part(R).

%% No leading zeros (RFC 8259): `0` alone or a non-zero digit first.
int_part(<<"0", R/binary>>) -> {"0", R};
int_part(<<D, _/binary>> = B) when D >= $1, D =< $9 -> digits(B, []).

digits(<<D, R/binary>>, Acc) when D >= $0, D =< $9 -> digits(R, [D | Acc]);
digits(R, Acc) when Acc =/= [] -> {lists:reverse(Acc), R}.
