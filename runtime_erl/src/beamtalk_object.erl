%% The primitive table of Object: what every value answers unless its class says more.
-module(beamtalk_object).
-export([class/1, printString/1, displayString/1, '='/2, '=='/2, '<'/2, '>'/2, '<='/2,
         '>='/2, hash/1, '->'/2, 'error:'/2, isClass/1, coerced/1]).

class(X) -> beamtalk_value:class_of(X).
printString(X) -> beamtalk_print:print_string(X).
displayString(X) -> beamtalk_print:display_string(X).

%% @doc `=` is exact equality, Erlang's `=:=` (no number coercion; `-0.0 = 0.0`, OTP 25).
'='(A, B) -> A =:= B.

%% @doc `==` is equality after number coercion (`1 == 1.0`), also inside collections and
%% for Dictionary keys and Set elements.
'=='(A, B) -> coerced(A) =:= coerced(B).

-spec coerced(term()) -> term().
%% @doc A term in which numbers equal after coercion are one term: an integral Float
%% becomes its Integer, and maps and Sets become sorted lists of their coerced entries.
coerced(X) when is_float(X) ->
    case X == erlang:trunc(X) of
        true -> erlang:trunc(X);
        false -> X
    end;
coerced(X) when is_list(X) -> [coerced(E) || E <- X];
coerced(X) when is_map(X) -> {'$coerced_map', lists:usort([{coerced(K), coerced(V)}
                                                           || {K, V} <- maps:to_list(X)])};
coerced({'$set', M}) -> {'$set', lists:usort([coerced(E) || E <- maps:keys(M)])};
coerced({'$inst', C, Fields}) -> {'$inst', C, coerced(Fields)};
coerced(X) when is_tuple(X) -> list_to_tuple(coerced(tuple_to_list(X)));
coerced(X) -> X.

%% `<` and friends on values that have no order: a TypeError naming the receiver's kind.
'<'(A, _) -> incomparable('<', A).
'>'(A, _) -> incomparable('>', A).
'<='(A, _) -> incomparable('<=', A).
'>='(A, _) -> incomparable('>=', A).

incomparable(Selector, A) ->
    beamtalk_error:raise(not_comparable, #{selector => Selector,
                                           kind => beamtalk_value:kind_name(A)}).

%% @doc Equal values (`=`) have equal hashes: a negative zero hashes as 0.0.
hash(X) -> erlang:phash2(positive_zeros(X)).

positive_zeros(X) when is_float(X), X == 0 -> 0.0;
positive_zeros(X) when is_list(X) -> [positive_zeros(E) || E <- X];
positive_zeros(X) when is_map(X) ->
    maps:from_list([{positive_zeros(K), positive_zeros(V)} || {K, V} <- maps:to_list(X)]);
positive_zeros(X) when is_tuple(X) -> list_to_tuple(positive_zeros(tuple_to_list(X)));
positive_zeros(X) -> X.

'->'(K, V) -> {'$assoc', K, V}.

%% @doc `self error: 'text'` signals an Error with that text (its displayString).
'error:'(_, Text) -> beamtalk_error:raise(error_text, #{text => displayString(Text)}).

isClass({'$class', _}) -> true;
isClass({'$metaclass', _}) -> true;
isClass(_) -> false.
