%% The primitive table of CompiledMethod: `(Point >> #sum) source` and friends.
-module(beamtalk_compiledmethod).
-export([selector/1, source/1, argumentCount/1, methodClass/1, doc/1]).

selector({'$method', _, Selector, _}) -> Selector.
source({'$method', _, _, Info}) -> maps:get(source, Info, nil).
argumentCount({'$method', _, _, Info}) -> maps:get(argumentCount, Info).
methodClass({'$method', Owner, _, _}) -> Owner.
doc({'$method', _, _, Info}) -> maps:get(doc, Info, nil).
