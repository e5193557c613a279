%% The primitive table of File (class side): FileNotFound for a missing path, IOError
%% otherwise, `path: reason` worded by stdlib/errors.tsv (as the interpreter words it).
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

%% The interpreter's rule (interp/runtime/primitives/system.py): the entry
%% `file_error_<errno>` of stdlib/errors.tsv when there is one (which says FileNotFound or
%% IOError and words the reason), else io_error naming the errno.
file_error(Path, Reason) when is_atom(Reason) ->
    Id = <<"file_error_", (atom_to_binary(Reason))/binary>>,
    case [I || I <- beamtalk_error_texts:ids(), atom_to_binary(I) =:= Id] of
        [Entry] -> beamtalk_error:raise(Entry, #{path => Path});
        [] -> beamtalk_error:raise(io_error, #{path => Path, reason => atom_to_binary(Reason)})
    end;
file_error(Path, Reason) ->
    beamtalk_error:raise(io_error, #{path => Path, reason => iolist_to_binary(
                                                          io_lib:format("~0tp", [Reason]))}).
