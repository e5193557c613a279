%% The standard order (LANGUAGE.md 3.5): nil < false < true < numbers < Characters
%% < Symbols < Strings < Tuples < Lists < Dictionaries < other values.  Used by `sort`,
%% Set and Dictionary printing and iteration, and `keys`.
-module(beamtalk_order).
-export([compare/2, sort/1, sorted_pairs/1, rank/1]).

-spec rank(term()) -> 0..10.
%% @doc The kind's place in the standard order.
rank(nil) -> 0;
rank(false) -> 1;
rank(true) -> 2;
rank(X) when is_number(X) -> 3;
rank({'$char', _}) -> 4;
rank(X) when is_atom(X) -> 5;
rank(X) when is_binary(X) -> 6;
rank(X) when is_list(X) -> 8;
rank(X) when is_map(X) -> 9;
rank(X) when is_tuple(X), tuple_size(X) > 0, is_atom(element(1, X)) ->
    case atom_to_binary(element(1, X)) of
        <<"$", _/binary>> -> 10;
        _ -> 7
    end;
rank(X) when is_tuple(X) -> 7;
rank(_) -> 10.

-spec compare(term(), term()) -> -1 | 0 | 1.
%% @doc A's place relative to B in the standard order.
compare(A, B) ->
    case {rank(A), rank(B)} of
        {R, R} -> same_rank(R, A, B);
        {RA, RB} -> sign(RA, RB)
    end.

same_rank(R, _, _) when R < 3 -> 0;
same_rank(3, A, B) when A == B ->
    sign(number_kind(A), number_kind(B));  % Integer before Float when equal
same_rank(3, A, B) -> sign(A, B);
same_rank(4, {'$char', A}, {'$char', B}) -> sign(A, B);
same_rank(5, A, B) -> sign(atom_to_binary(A), atom_to_binary(B));
same_rank(6, A, B) -> sign(A, B);
same_rank(7, A, B) -> elementwise(tuple_to_list(A), tuple_to_list(B));
same_rank(8, A, B) -> elementwise(A, B);
same_rank(9, A, B) -> elementwise(pair_tuples(A), pair_tuples(B));
same_rank(10, A, B) -> other(A, B).

number_kind(X) when is_integer(X) -> 0;
number_kind(_) -> 1.

elementwise([], []) -> 0;
elementwise([], _) -> -1;
elementwise(_, []) -> 1;
elementwise([X | Xs], [Y | Ys]) ->
    case compare(X, Y) of
        0 -> elementwise(Xs, Ys);
        C -> C
    end.

pair_tuples(Map) -> [{K, V} || {K, V} <- sorted_pairs(Map)].

%% Value instances by class name and then fields in declaration order, actors by creation,
%% other values by class name and then printString.
other(A, B) ->
    NameA = beamtalk_value:class_text(beamtalk_value:class_of(A)),
    NameB = beamtalk_value:class_text(beamtalk_value:class_of(B)),
    case {NameA, NameB} of
        {Same, Same} -> same_class(A, B);
        _ -> sign(NameA, NameB)
    end.

same_class({'$inst', Class, FieldsA}, {'$inst', Class, FieldsB}) ->
    Names = beamtalk_value:field_names(Class, maps:merge(FieldsA, FieldsB)),
    elementwise([maps:get(N, FieldsA, nil) || N <- Names],
                [maps:get(N, FieldsB, nil) || N <- Names]);
same_class({'$actor', _, _, SerialA}, {'$actor', _, _, SerialB}) -> sign(SerialA, SerialB);
same_class(A, B) -> sign(beamtalk_print:print_string(A), beamtalk_print:print_string(B)).

sign(A, B) when A < B -> -1;
sign(A, B) when A > B -> 1;
sign(_, _) -> 0.

-spec sort([term()]) -> [term()].
%% @doc A stable sort into the standard order.
sort(List) -> lists:sort(fun(A, B) -> compare(A, B) =< 0 end, List).

-spec sorted_pairs(map()) -> [{term(), term()}].
%% @doc A Dictionary's key/value pairs with the keys in standard order.
sorted_pairs(Map) ->
    lists:sort(fun({A, _}, {B, _}) -> compare(A, B) =< 0 end, maps:to_list(Map)).
