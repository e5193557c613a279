%% The primitive table of Set (`{'$set', #{Element => true}}`) and of `Set class`.
-module(beamtalk_set).
-export([displayString/1]).
-export([size/1, 'includes:'/2, 'add:'/2, 'remove:'/2, 'union:'/2, 'intersection:'/2,
         'difference:'/2, asList/1, 'class withAll:'/1, 'class withAll:'/2]).

size({'$set', M}) -> maps:size(M).
'includes:'({'$set', M}, E) -> maps:is_key(E, M).
'add:'({'$set', M}, E) -> {'$set', M#{E => true}}.
%% @doc Absent elements leave the Set unchanged.
'remove:'({'$set', M}, E) -> {'$set', maps:remove(E, M)}.

%% A Set argument, or the Set of a collection's elements.
members(_, {'$set', M}) -> M;
members(Selector, C) -> set_of(beamtalk_list:elements(Selector, C, false)).
set_of(Elements) -> element(2, beamtalk_value:set(Elements)).

%% @doc The receiver's element stays when the argument holds an equal one.
'union:'({'$set', M}, Other) ->
    {'$set', maps:fold(fun(E, _, Acc) -> Acc#{E => true} end, M, members('union:', Other))}.
'intersection:'({'$set', M}, Other) ->
    Keep = members('intersection:', Other),
    {'$set', maps:filter(fun(E, _) -> maps:is_key(E, Keep) end, M)}.
'difference:'({'$set', M}, Other) ->
    Drop = members('difference:', Other),
    {'$set', maps:filter(fun(E, _) -> not maps:is_key(E, Drop) end, M)}.

%% @doc The elements in standard order.
asList(S) -> beamtalk_order:sort(beamtalk_value:set_elements(S)).

%% @doc `Set withAll:`: the elements of a collection (or a String's Characters).
'class withAll:'(C) -> {'$set', set_of(beamtalk_list:elements('withAll:', C, true))}.

%% @doc The user-facing text (LANGUAGE.md 4), elements by displayString.
displayString(X) -> beamtalk_print:display_string(X).

%% As the registry binds class-side primitives: the class first.
'class withAll:'(_Class, C) -> 'class withAll:'(C).
