%% The primitive table of ExceptionSet: `ZeroDivide, TypeError` catches either.
-module(beamtalk_exceptionset).
-export([','/2, 'handles:'/2]).

','({'$inst', 'ExceptionSet', #{classes := Mine}}, Other) ->
    beamtalk_exception:exception_set(Mine ++ beamtalk_exception:members(Other)).

'handles:'(Set, E) -> beamtalk_handlers:handles(Set, E).
