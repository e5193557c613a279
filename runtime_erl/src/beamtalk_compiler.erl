%% Compiling inside the node: the native build of compiler_bt (its class modules registered
%% with the stdlib's) called from Erlang, and batch builds of its Core output to .beam files.
%%
%% The compiler is an ordinary Beamtalk program: `BtCompiler compileStatements:path:session:`
%% answers, per statement, `{error, Rendered, Kind, Text}` or `{ok, [{Kind, Name, Core, Line}]}`
%% (docs/native-backend.md).  This module reads the stdlib's sources for the resolver's starting
%% session (the compiler itself does no I/O), runs the compiler in a process of its own, and
%% encodes its answer for the runner protocol (`compile` and `build` requests).
-module(beamtalk_compiler).
-export([compile_statements/3, stdlib_session/1, session_key/1, warm/1, build/2, handle/2,
         encode_fields/1, decode_fields/1]).

%% The runner process keeps the compiler's state after its last `compile` request here.
-define(STATE, {?MODULE, state}).

-type item() :: {binary(), pos_integer(), binary()}.
-type entry() :: {error, binary(), atom(), binary()}
               | {ok, [{atom(), binary(), binary(), pos_integer()}]}.

-spec compile_statements([item()], binary(), none | {stdlib, file:filename_all()} | term()) ->
          {ok, {[entry()], term()}} | {error, binary()}.
%% @doc Run the loaded native compiler on statements `{Text, FirstLine, File}` (one session,
%% later ones see what earlier ones define); `none` skips the resolver (the stdlib's own
%% files), `{stdlib, Dir}` resolves from the session of the stdlib sources in Dir, anything
%% else is a state an earlier call answered (a REPL's next input continues from it).
%% Answers the entries and the state after them.
compile_statements(Items, Path, Mode) ->
    in_process(fun() ->
                       State = case Mode of
                                   none -> send_compiler('stateFrom:', [nil]);
                                   {stdlib, Dir} ->
                                       send_compiler('stateFrom:', [stdlib_session(Dir)]);
                                   Earlier -> Earlier
                               end,
                       {Answer, State2} = send_compiler('compileStatements:path:state:',
                                                        [Items, Path, State]),
                       {[entry(E) || E <- Answer], State2}
               end).

-spec stdlib_session(file:filename_all()) -> term().
%% @doc The resolver's starting session (`BtCompiler stdlibSession:`) for the stdlib sources
%% in Dir, computed once per node and directory.
stdlib_session(Dir) ->
    Key = session_key(Dir),
    case persistent_term:get(Key, undefined) of
        undefined ->
            Names = lists:sort(filelib:wildcard("*.bt", unicode:characters_to_list(Dir))),
            Sources = [{read(filename:join(Dir, N)), iolist_to_binary(["stdlib/", N])}
                       || N <- Names],
            Session = send_compiler('stdlibSession:', [Sources]),
            persistent_term:put(Key, Session),
            Session;
        Session -> Session
    end.

-spec session_key(file:filename_all()) -> term().
%% @doc The persistent term holding the stdlib session of Dir (a node's image carries it).
session_key(Dir) -> {?MODULE, session, iolist_to_binary(Dir)}.

-spec warm(file:filename_all()) -> ok.
%% @doc Compute the stdlib session of Dir now (in a process of its own, as a compile does),
%% so the first compile does not wait for it; a failure is left for that compile to report.
warm(Dir) ->
    _ = in_process(fun() -> stdlib_session(Dir) end),
    ok.

read(File) ->
    {ok, Bin} = file:read_file(File),
    Bin.

send_compiler(Selector, Args) ->
    beamtalk_dispatch:send(beamtalk_classes:global('BtCompiler'), Selector, Args).

%% The compiler's answer as Erlang terms with binaries (a Symbol is an atom, a String a binary).
entry({error, Rendered, Kind, Text}) -> {error, Rendered, Kind, text(Text)};
entry({ok, Units}) -> {ok, [{K, text(N), C, L} || {K, N, C, L} <- Units]}.

text(nil) -> <<>>;
text(T) when is_binary(T) -> T;
text(T) when is_atom(T) -> atom_to_binary(T).

%% Compiling runs in a fresh process (a clean handler stack and NLR homes, as statements do)
%% that may grow without the statements' heap limit; a failure is answered as text.
in_process(Fun) ->
    {Pid, Ref} = spawn_monitor(
                   fun() ->
                           Result = try {ok, Fun()}
                                    catch Class:Reason:Trace ->
                                            {error, failure_text(Class, Reason, Trace)}
                                    end,
                           exit({compiled, Result})
                   end),
    receive
        {'DOWN', Ref, process, Pid, {compiled, Result}} -> Result;
        {'DOWN', Ref, process, Pid, Reason} ->
            {error, iolist_to_binary(io_lib:format("the compiler stopped: ~0tp", [Reason]))}
    end.

failure_text(error, Reason, Trace) ->
    Exception = beamtalk_handlers:to_exception(Reason, Trace),
    case beamtalk_error:kind(Exception) of
        %% One of the compiler's actors reached the heap limit every actor has: the input,
        %% not the compiler, is at fault (a statement of some 16,000 chained sends).
        actor_dead -> <<"compile_error: the input is too large for the native compiler ",
                        "(one of its actors ran out of heap); split long statements into ",
                        "smaller ones">>;
        _ -> bug_text(Exception, Trace)
    end;
failure_text(Class, Reason, _) ->
    iolist_to_binary(io_lib:format("~p:~0tp", [Class, Reason])).

bug_text(Exception, Trace) ->
    Text = case beamtalk_error:message_text(Exception) of
               nil -> <<>>;
               T -> beamtalk_print:display_string(T)
           end,
    %% The compiler's own failures are bugs: the first frames say where.
    Frames = [io_lib:format("~n  ~p:~tp/~p", [M, F, if is_list(A) -> length(A); true -> A end])
              || {M, F, A, _} <- lists:sublist(Trace, 8)],
    iolist_to_binary([atom_to_binary(beamtalk_error:kind(Exception)), ": ", Text, Frames]).

-spec build([binary()], file:filename_all()) -> {ok, [atom()]} | {error, binary()}.
%% @doc Compile Core module texts to .beam files in Dir under the compiler's own module names
%% (deterministic: the same text gives the same bytes); answers the modules written, or the
%% first text's error. The modules are independent: compiled on every scheduler at once
%% (compile:forms is nearly all of a build's time).
build(Texts, Dir) ->
    ok = filelib:ensure_dir(filename:join(Dir, "x")),
    Compiled = parallel(fun(Text) -> beamtalk_loader:compile_core(Text, keep) end, Texts,
                        erlang:system_info(schedulers_online)),
    case [Message || {error, Message} <- Compiled] of
        [Message | _] -> {error, Message};
        [] ->
            {ok, [begin
                      ok = file:write_file(filename:join(Dir, atom_to_list(Name) ++ ".beam"), Binary),
                      Name
                  end || {ok, Name, Binary} <- Compiled]}
    end.

%% [Fun(X) || X <- Items] on N processes (items dealt out in turn), in the items' order; a
%% crash in a worker is raised here.
parallel(Fun, Items, N) ->
    Numbered = lists:zip(lists:seq(1, length(Items)), Items),
    Hands = [[P || {I, _} = P <- Numbered, I rem N =:= K] || K <- lists:seq(0, N - 1)],
    Workers = [spawn_monitor(fun() -> exit({done, [{I, Fun(X)} || {I, X} <- Hand]}) end)
               || Hand <- Hands],
    Results = lists:append([receive
                                {'DOWN', Ref, process, Pid, {done, Done}} -> Done;
                                {'DOWN', Ref, process, Pid, Reason} -> erlang:error(Reason)
                            end || {Pid, Ref} <- Workers]),
    [R || {_, R} <- lists:keysort(1, Results)].

-spec handle(binary(), binary()) -> iodata().
%% @doc The runner's `compile` and `build` requests (docs/native-backend.md); the reply body.
handle(<<"compile">>, Arg) ->
    %% Fields: mode (`none`, `stdlib`, or `continue`: from the state the last compile in
    %% this process left), the stdlib directory, the session's path, then text, first line
    %% and file of each statement.
    [Mode, Dir, Path | Rest] = decode_fields(Arg),
    Items = triples(Rest),
    Start = case Mode of
                <<"none">> -> none;
                <<"stdlib">> -> {stdlib, Dir};
                <<"continue">> ->
                    case get(?STATE) of
                        undefined -> {stdlib, Dir};
                        Earlier -> Earlier
                    end
            end,
    case compile_statements(Items, Path, Start) of
        {ok, {Entries, State}} ->
            put(?STATE, State),
            [<<"ok\n">>, encode_fields(lists:append([fields(E) || E <- Entries]))];
        {error, Message} -> [<<"error\ninternal_error\n">>, Message]
    end;
handle(<<"build">>, Arg) ->
    %% Fields: the output directory, then Core module texts.
    [Dir | Texts] = decode_fields(Arg),
    case build(Texts, Dir) of
        {ok, Names} -> [<<"ok\n">>, encode_fields([atom_to_binary(N) || N <- Names])];
        {error, Message} -> [<<"error\ninternal_error\n">>, Message]
    end.

triples([Text, Line, File | Rest]) ->
    [{Text, binary_to_integer(Line), File} | triples(Rest)];
triples([]) -> [].

fields({error, Rendered, Kind, Text}) ->
    [<<"error">>, Rendered, atom_to_binary(Kind), Text];
fields({ok, Units}) ->
    [<<"ok">>, integer_to_binary(length(Units))
     | lists:append([[atom_to_binary(K), N, C, integer_to_binary(L)] || {K, N, C, L} <- Units])].

-spec encode_fields([iodata()]) -> iodata().
%% @doc Fields as `<byte length>:<bytes>` one after another (any bytes inside a field).
encode_fields(Fields) ->
    [[integer_to_binary(iolist_size(F)), $:, F] || F <- Fields].

-spec decode_fields(binary()) -> [binary()].
%% @doc The fields of an encode_fields/1 text.
decode_fields(<<>>) -> [];
decode_fields(Bin) ->
    [Size, Rest] = binary:split(Bin, <<":">>),
    N = binary_to_integer(Size),
    <<Field:N/binary, More/binary>> = Rest,
    [Field | decode_fields(More)].
