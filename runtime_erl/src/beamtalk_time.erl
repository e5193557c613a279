%% The primitive table of Time (class side).
-module(beamtalk_time).
-export(['class millisecondClock'/1]).

'class millisecondClock'(_) -> erlang:monotonic_time(millisecond).
