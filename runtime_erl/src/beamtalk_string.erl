%% The primitive table of String (UTF-8 binaries; positions count code points, 3.7).
-module(beamtalk_string).
-export([displayString/1]).
-export([','/2, '++'/2, '+'/2, size/1, 'at:'/2, characters/1, 'includesSubstring:'/2,
         'startsWith:'/2, 'endsWith:'/2, 'indexOf:'/2, 'occurrencesOf:'/2,
         'copyFrom:to:'/3, 'copyReplaceAll:with:'/3, asUppercase/1, asLowercase/1,
         trimmed/1, lines/1, subStrings/1, 'subStrings:'/2, 'split:'/2, asSymbol/1,
         asInteger/1, asNumber/1, reversed/1, 'do:'/2, 'collect:'/2, 'select:'/2, asList/1,
         'first:'/2, 'last:'/2, 'repeat:'/2, 'format:'/2, '<'/2, '>'/2, '<='/2, '>='/2]).

-import(beamtalk_text, [code_points/1, from_code_points/1]).

arg(Selector, S) -> beamtalk_coll:string_arg(Selector, S).
char_arg(_, {'$char', C}) -> C;
char_arg(Selector, X) ->
    beamtalk_error:raise(expects_character, #{selector => Selector,
                                              kind => beamtalk_value:kind_name(X)}).

','(S, T) -> <<S/binary, (arg(',', T))/binary>>.
'++'(S, T) -> <<S/binary, (arg('++', T))/binary>>.
'+'(_, _) -> beamtalk_error:raise(string_plus, #{}).

size(S) -> count(S, 0).

%% Positions are found by walking the UTF-8 bytes (no list of code points), several ASCII
%% bytes at a time where they are (each is one code point). The words are 32 bits: a
%% 64-bit one above 2^59 would be a bignum, made on the heap at every step.
-define(HIGH_BITS, 16#80808080).
count(<<A:32, B:32, Rest/binary>>, N) when (A bor B) band ?HIGH_BITS =:= 0 -> count(Rest, N + 8);
count(<<_/utf8, Rest/binary>>, N) -> count(Rest, N + 1);
count(<<>>, N) -> N.

%% The byte offset of code point N (0-based), or `short` when there are fewer. Every clause
%% starts with a binary match, so the walk reuses one match context (bin_opt_info):
%% returning or passing the binary itself would make a sub-binary at every step.
%% 64 ASCII bytes per step first: the compiler slices tokens out of sources of many KB.
offset(<<_/binary>>, 0, Offset) -> Offset;
offset(<<A:32, B:32, C:32, D:32, E:32, F:32, G:32, H:32,
         I:32, J:32, K:32, L:32, M:32, O:32, P:32, Q:32, Rest/binary>>, N, Offset)
  when N >= 64, (A bor B bor C bor D bor E bor F bor G bor H bor
                 I bor J bor K bor L bor M bor O bor P bor Q) band ?HIGH_BITS =:= 0 ->
    offset(Rest, N - 64, Offset + 64);
offset(<<A:32, B:32, Rest/binary>>, N, Offset) when N >= 8, (A bor B) band ?HIGH_BITS =:= 0 ->
    offset(Rest, N - 8, Offset + 8);
offset(<<C/utf8, Rest/binary>>, N, Offset) -> offset(Rest, N - 1, Offset + utf8_size(C));
offset(<<>>, _, _) -> short.

utf8_size(C) when C < 16#80 -> 1;
utf8_size(C) when C < 16#800 -> 2;
utf8_size(C) when C < 16#10000 -> 3;
utf8_size(_) -> 4.

'at:'(S, I) ->
    case is_integer(I) andalso I >= 1 andalso offset(S, I - 1, 0) of
        Offset when is_integer(Offset), Offset < byte_size(S) ->
            <<_:Offset/binary, C/utf8, _/binary>> = S,
            {'$char', C};
        _ -> beamtalk_coll:index('at:', I, count(S, 0))  % raises: out of range, or not an Integer
    end.

characters(S) -> list_to_tuple(asList(S)).
asList(S) -> [{'$char', C} || <<C/utf8>> <= S].

'includesSubstring:'(S, T0) ->
    case arg('includesSubstring:', T0) of
        <<>> -> true;
        T -> binary:match(S, T) =/= nomatch
    end.
'startsWith:'(S, T0) ->
    T = arg('startsWith:', T0),
    byte_size(T) =< byte_size(S) andalso binary:part(S, 0, byte_size(T)) =:= T.
'endsWith:'(S, T0) ->
    T = arg('endsWith:', T0),
    byte_size(T) =< byte_size(S)
        andalso binary:part(S, byte_size(S) - byte_size(T), byte_size(T)) =:= T.

%% @doc The position of the first occurrence, 0 when absent.
'indexOf:'(S, Ch) -> index_of(char_arg('indexOf:', Ch), code_points(S), 1).
index_of(_, [], _) -> 0;
index_of(C, [C | _], I) -> I;
index_of(C, [_ | Rest], I) -> index_of(C, Rest, I + 1).

'occurrencesOf:'(S, Ch) ->
    C = char_arg('occurrencesOf:', Ch),
    length([X || X <- code_points(S), X =:= C]).

%% @doc An empty range (stop < start) answers ''; otherwise both ends must be in bounds.
'copyFrom:to:'(S, First, Last) ->
    beamtalk_coll:integer_arg('copyFrom:to:', First),
    beamtalk_coll:integer_arg('copyFrom:to:', Last),
    case Last < First of
        true -> <<>>;
        false ->
            %% Both ends as byte offsets in one walk: the end continues from the start.
            case First >= 1 andalso offset(S, First - 1, 0) of
                From when is_integer(From), From < byte_size(S) ->
                    <<_:From/binary, Tail/binary>> = S,
                    case offset(Tail, Last - First + 1, 0) of
                        short -> beamtalk_coll:index('copyFrom:to:', Last, count(S, 0));  % raises
                        Bytes -> binary:part(S, From, Bytes)
                    end;
                _ -> beamtalk_coll:index('copyFrom:to:', First, count(S, 0))  % raises
            end
    end.

non_empty(Selector, P0) ->
    case arg(Selector, P0) of
        <<>> -> beamtalk_error:raise(empty_separator, #{selector => Selector});
        P -> P
    end.

'copyReplaceAll:with:'(S, Old0, New0) ->
    Old = non_empty('copyReplaceAll:with:', Old0),
    New = arg('copyReplaceAll:with:', New0),
    iolist_to_binary(lists:join(New, binary:split(S, Old, [global]))).

asUppercase(S) -> from_code_points(beamtalk_text:upper(code_points(S))).
asLowercase(S) -> from_code_points(beamtalk_text:lower(code_points(S))).

trimmed(S) ->
    Strip = fun(Cs) -> lists:dropwhile(fun beamtalk_text:is_whitespace/1, Cs) end,
    from_code_points(lists:reverse(Strip(lists:reverse(Strip(code_points(S)))))).

%% @doc Split at LF, CR or CRLF; a final line break does not start an empty line.
lines(S) ->
    Pieces = re:split(S, "\r\n|\r|\n", [{return, binary}]),
    case lists:last(Pieces) of
        <<>> -> lists:droplast(Pieces);
        _ -> Pieces
    end.

subStrings(S) -> runs(code_points(S), fun beamtalk_text:is_whitespace/1).

'subStrings:'(S, {'$char', C}) -> runs(code_points(S), fun(X) -> X =:= C end);
'subStrings:'(S, Seps0) ->
    Seps = code_points(arg('subStrings:', Seps0)),
    runs(code_points(S), fun(X) -> lists:member(X, Seps) end).

%% The runs of characters that are not separators (no empty pieces).
runs(Cs, IsSep) -> runs(Cs, IsSep, [], []).
runs([], _, [], Acc) -> lists:reverse(Acc);
runs([], _, Cur, Acc) -> lists:reverse([piece(Cur) | Acc]);
runs([C | Rest], IsSep, Cur, Acc) ->
    case IsSep(C) of
        true when Cur =:= [] -> runs(Rest, IsSep, [], Acc);
        true -> runs(Rest, IsSep, [], [piece(Cur) | Acc]);
        false -> runs(Rest, IsSep, [C | Cur], Acc)
    end.
piece(Rev) -> from_code_points(lists:reverse(Rev)).

%% @doc Split on an exact substring; empty pieces are kept.
'split:'(S, Sep0) -> binary:split(S, non_empty('split:', Sep0), [global]).

%% @doc 'true', 'false' and 'nil' answer true, false and nil (they are those atoms).
asSymbol(S) -> binary_to_atom(S, utf8).

%% @doc A decimal or radix (`16rFF`) integer with an optional minus, else nil.
asInteger(S) -> parse_integer(S).

parse_integer(S) ->
    case re:run(S, "\\A-?[0-9]+\\z", [{capture, none}]) of
        match -> binary_to_integer(S);
        nomatch ->
            Radix = "\\A(-?)([0-9]+)r([0-9A-Za-z]+)\\z",
            case re:run(S, Radix, [{capture, all_but_first, binary}]) of
                {match, [Sign, Base, Digits]} ->
                    radix_integer(Sign, binary_to_integer(Base), Digits);
                nomatch -> nil
            end
    end.

radix_integer(Sign, Base, Digits) when Base >= 2, Base =< 36 ->
    try binary_to_integer(Digits, Base) of
        N when Sign =:= <<"-">> -> -N;
        N -> N
    catch error:badarg -> nil
    end;
radix_integer(_, _, _) -> nil.

%% @doc An Integer, or a Float literal (`1.5`, `2.0e-3`, `1e5`) correctly rounded, else nil.
asNumber(S) ->
    case parse_integer(S) of
        nil -> parse_float(S);
        N -> N
    end.

parse_float(S) ->
    Pattern = "\\A(-?)([0-9]+)(?:\\.([0-9]+))?(?:e(-?[0-9]+))?\\z",
    case re:run(S, Pattern, [{capture, all_but_first, binary}]) of
        {match, [Sign, Whole, Fraction | Exp]} when Fraction =/= <<>>; Exp =/= [] ->
            E = case Exp of [] -> 0; [X] -> binary_to_integer(X) end,
            Digits = binary_to_integer(<<Whole/binary, Fraction/binary>>),
            float_of(Sign, Digits, E - byte_size(Fraction));
        _ -> nil
    end.

%% Digits * 10^Exp, correctly rounded; out of range answers nil (as an infinity would).
float_of(Sign, Digits, Exp) ->
    Magnitude = length(integer_to_list(Digits)) + Exp,
    Value = if Digits =:= 0 -> 0.0;
               Magnitude > 400 -> nil;
               Magnitude < -400 -> 0.0;
               Exp >= 0 -> safe_ratio(Digits * pow10(Exp), 1);
               true -> safe_ratio(Digits, pow10(-Exp))
            end,
    case {Value, Sign} of
        {nil, _} -> nil;
        {V, <<"-">>} -> -V;
        {V, _} -> V
    end.

safe_ratio(N, D) ->
    try beamtalk_number:ratio_to_float(N, D)
    catch error:{'$exc', 'ArithmeticError', _} -> nil
    end.

pow10(N) -> binary_to_integer(iolist_to_binary(["1", lists:duplicate(N, $0)])).

reversed(S) -> from_code_points(lists:reverse(code_points(S))).

'do:'(S, Block) -> each(Block, S), S.

%% The block on each Character, straight from the UTF-8 bytes (no list of code points).
each(Block, <<C/utf8, Rest/binary>>) -> beamtalk_block:cull(Block, {'$char', C}), each(Block, Rest);
each(_, <<>>) -> ok.

%% @doc A String when every result is a Character, otherwise a List (so each result is
%% needed: a future is awaited).
'collect:'(S, Block) ->
    Results = [beamtalk_block:cull_answer(Block, {'$char', C}) || C <- code_points(S)],
    case lists:all(fun({'$char', _}) -> true; (_) -> false end, Results) of
        true -> from_code_points([C || {'$char', C} <- Results]);
        false -> Results
    end.

'select:'(S, Block) -> << <<C/utf8>> || <<C/utf8>> <= S, selected(Block, C) >>.

selected(Block, C) ->
    case beamtalk_block:cull_answer(Block, {'$char', C}) of
        true -> true;
        false -> false;
        Other -> beamtalk_error:raise(expects_boolean_block,
                                      #{selector => 'select:',
                                        kind => beamtalk_value:kind_name(Other)})
    end.

'first:'(S, N) -> from_code_points(lists:sublist(code_points(S), beamtalk_coll:count('first:', N))).
'last:'(S, N0) ->
    N = beamtalk_coll:count('last:', N0),
    Cs = code_points(S),
    from_code_points(lists:nthtail(erlang:max(0, length(Cs) - N), Cs)).

'repeat:'(S, N0) ->
    N = beamtalk_coll:count('repeat:', N0),
    case S of
        <<>> -> <<>>;
        _ -> beamtalk_limits:check_elements(length(code_points(S)) * N, "characters"), binary:copy(S, N)
    end.

%% @doc `{1}` takes from a List or Tuple, `{key}` from a Dictionary (Symbol keys first);
%% values are inserted as their displayString.
'format:'(S, Values) when is_list(Values) -> positional(S, Values);
'format:'(S, Values) when is_map(Values) -> named(S, Values);
'format:'(S, Values) ->
    case beamtalk_value:class_of(Values) of  % class_of: a class term is no Tuple
        {'$class', 'Tuple'} -> positional(S, tuple_to_list(Values));
        _ -> beamtalk_error:raise(expects_list_or_dictionary,
                                  #{selector => 'format:',
                                    kind => beamtalk_value:kind_name(Values)})
    end.

positional(S, Items) ->
    substitute(S, fun(Name) ->
                          case re:run(Name, "\\A[0-9]+\\z", [{capture, none}]) of
                              nomatch -> keep;
                              match ->
                                  I = beamtalk_coll:index('format:', binary_to_integer(Name),
                                                          length(Items)),
                                  {text, beamtalk_object:send_display_string(
                                           lists:nth(I, Items))}
                          end
                  end).

named(S, Map) ->
    substitute(S, fun(Name) ->
                          case {find_symbol(Name, Map), maps:find(Name, Map)} of
                              {{ok, V}, _} -> {text, beamtalk_object:send_display_string(V)};
                              {error, {ok, V}} ->
                                  {text, beamtalk_object:send_display_string(V)};
                              _ -> beamtalk_error:raise(
                                     key_not_found,
                                     #{key => beamtalk_print:symbol_name_literal(Name)})
                          end
                  end).

%% A Symbol key named Name (no new atom is made for a name no Symbol has).
find_symbol(Name, Map) ->
    try binary_to_existing_atom(Name, utf8) of
        Symbol -> maps:find(Symbol, Map)
    catch error:badarg -> error
    end.

%% Replace each `{name}` (no braces inside) by what Fun answers for it, or keep it.
%% re:split with one group alternates text and placeholders: [T, P, T, P, ..., T].
substitute(S, Fun) ->
    Parts = re:split(S, "(\\{[^{}]*\\})", [{return, binary}, unicode]),
    iolist_to_binary(alternate(Parts, Fun)).

alternate([Text, Placeholder | Rest], Fun) ->
    Name = binary:part(Placeholder, 1, byte_size(Placeholder) - 2),
    Replaced = case Fun(Name) of
                   keep -> Placeholder;
                   {text, T} -> T
               end,
    [Text, Replaced | alternate(Rest, Fun)];
alternate(Last, _) -> Last.

'<'(A, B) -> A < cmp('<', B).
'>'(A, B) -> A > cmp('>', B).
'<='(A, B) -> A =< cmp('<=', B).
'>='(A, B) -> A >= cmp('>=', B).
cmp(Selector, B) -> beamtalk_text:compare_arg(expects_string, Selector, fun is_binary/1, B).

%% @doc The user-facing text (LANGUAGE.md 4), elements by displayString.
displayString(X) -> beamtalk_print:display_string(X).
