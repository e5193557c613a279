%% The primitive table of ExceptionSet: `ZeroDivide, TypeError` catches either.
-module(beamtalk_exceptionset).
-export([','/2, 'handles:'/2]).

','({'$inst', 'ExceptionSet', #{classes := Mine}}, {'$inst', 'ExceptionSet', #{classes := More}}) ->
    beamtalk_exception:exception_set(Mine ++ More);
','({'$inst', 'ExceptionSet', #{classes := Mine}}, Other) ->
    beamtalk_exception:exception_set(Mine ++ [Other]).

'handles:'(Set, E) -> beamtalk_handlers:handles(Set, E).
