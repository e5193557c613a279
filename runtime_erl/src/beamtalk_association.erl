%% The primitive table of Association (`{'$assoc', Key, Value}`).
-module(beamtalk_association).
-export([key/1, value/1]).

key({'$assoc', K, _}) -> K.
value({'$assoc', _, V}) -> V.
