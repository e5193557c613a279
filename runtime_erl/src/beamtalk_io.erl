%% Where Transcript text and warnings go: to the process registered as `beamtalk_output`
%% (the runner, which forwards them to Python in order), else to standard output / error.
-module(beamtalk_io).
-export([out/1, warn/1, halt/1]).

-spec out(iodata()) -> ok.
%% @doc Write Transcript text (standard output).
out(Text) -> write(out, standard_io, Text).

-spec warn(iodata()) -> ok.
%% @doc Write a warning line (standard error).
warn(Text) -> write(warn, standard_error, Text).

write(Kind, Device, Text) ->
    Binary = unicode:characters_to_binary(Text),
    case whereis(beamtalk_output) of
        undefined -> io:put_chars(Device, Binary);
        Pid -> Pid ! {beamtalk_output, Kind, Binary}, ok
    end.

-spec halt(0..255) -> no_return().
%% @doc End the program (`System exit:`): through the runner when there is one, so that the
%% text written before reaches Python first (messages from one process arrive in order).
halt(Status) ->
    case whereis(beamtalk_output) of
        undefined -> erlang:halt(Status, [{flush, true}]);
        Pid ->
            Pid ! {beamtalk_halt, Status},
            receive after infinity -> ok end
    end.
