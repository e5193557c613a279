%% The primitive table of File (class side): FileNotFound for a missing path, IOError
%% otherwise, `path: reason` with Erlang's reason wording (as the interpreter words it).
-module(beamtalk_file).
-export(['class readAll:'/2, 'class write:to:'/3, 'class exists:'/2,
         'class listDirectory:'/2]).

'class readAll:'(_, Path) ->
    expect_string('readAll:', Path),
    case file:read_file(Path) of
        {ok, Data} ->
            case unicode:characters_to_binary(Data, utf8, utf8) of
                Text when is_binary(Text) -> Text;
                {_, Good, _} -> beamtalk_error:raise(not_utf8, #{path => Path,
                                                                 offset => byte_size(Good)})
            end;
        {error, Reason} -> file_error(Path, Reason)
    end.

'class write:to:'(File, Text, Path) ->
    expect_string('write:to:', Text),
    expect_string('write:to:', Path),
    case file:write_file(Path, Text) of
        ok -> File;
        {error, Reason} -> file_error(Path, Reason)
    end.

'class exists:'(_, Path) ->
    expect_string('exists:', Path),
    filelib:is_file(Path).

'class listDirectory:'(_, Path) ->
    expect_string('listDirectory:', Path),
    case file:list_dir(Path) of
        {ok, Names} -> lists:sort([unicode:characters_to_binary(N) || N <- Names]);
        {error, Reason} -> file_error(Path, Reason)
    end.

expect_string(_, S) when is_binary(S) -> ok;
expect_string(Selector, Other) ->
    beamtalk_error:raise(expects_string, #{selector => Selector,
                                           kind => beamtalk_value:kind_name(Other)}).

file_error(Path, enoent) ->
    beamtalk_error:raise(file_not_found, #{path => Path, reason => reason(enoent)});
file_error(Path, Reason) ->
    beamtalk_error:raise(io_error, #{path => Path, reason => reason(Reason)}).

reason(Reason) -> unicode:characters_to_binary(file:format_error(Reason)).
