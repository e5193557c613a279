%% The primitive table of Association (`{'$assoc', Key, Value}`).
-module(beamtalk_association).
-export([displayString/1]).
-export([key/1, value/1]).

key({'$assoc', K, _}) -> K.
value({'$assoc', _, V}) -> V.

%% @doc The user-facing text (LANGUAGE.md 4), elements by displayString.
displayString(X) -> beamtalk_print:display_string(X).
