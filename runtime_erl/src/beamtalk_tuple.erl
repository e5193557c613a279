%% The primitive table of Tuple (native tuples; `at:` is O(1)).
-module(beamtalk_tuple).
-export([displayString/1]).
-export([size/1, 'at:'/2, first/1, last/1, asList/1, 'includes:'/2, 'do:'/2, 'collect:'/2,
         'select:'/2, 'reject:'/2]).

size(T) -> tuple_size(T).
'at:'(T, I) -> element(beamtalk_coll:index('at:', I, tuple_size(T)), T).
first({}) -> beamtalk_coll:empty();
first(T) -> element(1, T).
last({}) -> beamtalk_coll:empty();
last(T) -> element(tuple_size(T), T).
asList(T) -> tuple_to_list(T).
'includes:'(T, V) -> beamtalk_list:'includes:'(tuple_to_list(T), V).
'do:'(T, Block) -> beamtalk_list:'do:'(tuple_to_list(T), Block), T.
'collect:'(T, Block) -> beamtalk_list:'collect:'(tuple_to_list(T), Block).
'select:'(T, Block) -> beamtalk_list:'select:'(tuple_to_list(T), Block).
'reject:'(T, Block) -> beamtalk_list:'reject:'(tuple_to_list(T), Block).

%% @doc The user-facing text (LANGUAGE.md 4), elements by displayString.
displayString(X) -> beamtalk_print:display_string(X).
