%% Code-point helpers shared by String, Symbol and Character (LANGUAGE.md 3.7).
-module(beamtalk_text).
-export([code_points/1, from_code_points/1, is_whitespace/1, is_letter/1, upper/1, lower/1,
         upper_one/1, lower_one/1, compare_arg/4]).

-spec code_points(binary()) -> [non_neg_integer()].
code_points(S) -> unicode:characters_to_list(S).

-spec from_code_points([non_neg_integer()]) -> binary().
from_code_points(Cs) -> unicode:characters_to_binary(Cs).

-spec is_whitespace(non_neg_integer()) -> boolean().
%% @doc Space, tab, LF, CR, FF, VT and category Zs.
is_whitespace(C) when C =:= $\s; C =:= $\t; C =:= $\n; C =:= $\r; C =:= $\f; C =:= $\v -> true;
is_whitespace(C) -> beamtalk_unicode_data:in(space_separator, C).

-spec is_letter(non_neg_integer()) -> boolean().
%% @doc Unicode categories L*.
is_letter(C) -> beamtalk_unicode_data:in(letter, C).

-spec upper([non_neg_integer()]) -> [non_neg_integer()].
%% @doc Full (unconditional) uppercase mapping, code point by code point: `ß` -> `SS`.
upper(Cs) -> lists:flatmap(fun(C) -> flat(unicode_util:uppercase([C])) end, Cs).

-spec lower([non_neg_integer()]) -> [non_neg_integer()].
%% @doc Full lowercase mapping, code point by code point (no final-sigma context).
lower(Cs) -> lists:flatmap(fun(C) -> flat(unicode_util:lowercase([C])) end, Cs).

flat(Mapped) -> lists:flatten(Mapped).

-spec upper_one(non_neg_integer()) -> non_neg_integer().
%% @doc The one-to-one uppercase of a code point: the full mapping when it is one code
%% point, else the titlecase form when that is (Greek with ypogegrammeni), else itself.
upper_one(C) ->
    case flat(unicode_util:uppercase([C])) of
        [U] -> U;
        _ ->
            case flat(unicode_util:titlecase([C])) of
                [T] -> T;
                _ -> C
            end
    end.

-spec lower_one(non_neg_integer()) -> non_neg_integer().
%% @doc The one-to-one lowercase of a code point (U+0130 -> `i`).
lower_one(C) ->
    case flat(unicode_util:lowercase([C])) of
        [L] -> L;
        _ when C =:= 16#130 -> $i;
        _ -> C
    end.

-spec compare_arg(atom(), atom(), fun((term()) -> boolean()), term()) -> term().
%% @doc The argument of `< > <= >=` when it is of the receiver's kind, else a TypeError.
compare_arg(Id, Selector, IsKind, B) ->
    case IsKind(B) of
        true -> B;
        false -> beamtalk_error:raise(Id, #{selector => Selector,
                                            kind => beamtalk_value:kind_name(B)})
    end.
