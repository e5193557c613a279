%% The primitive table of Time (class side).
-module(beamtalk_time).
-export(['class millisecondClock'/1]).

%% Milliseconds since the node started: monotonic and, unlike erlang:monotonic_time/1 (which
%% may be negative), never below zero, as on the interpreter.
'class millisecondClock'(_) ->
    erlang:convert_time_unit(erlang:monotonic_time() - erlang:system_info(start_time),
                             native, millisecond).
