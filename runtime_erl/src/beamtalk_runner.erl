%% The transcript runner: the node side of the protocol in docs/native-backend.md.  Python
%% (bootstrap/beam_node.py) starts `erl ... -run beamtalk_runner main` and talks to it over
%% fds 0/1 with {packet, 4} framing; everything else the node prints goes to standard error.
-module(beamtalk_runner).
-export([main/0, handle/3, stderr_leader/0]).

%% A statement's process may use this many words of heap (runaway recursion is reported as
%% StackOverflow instead of exhausting the machine's memory).
-define(MAX_HEAP_WORDS, 1 bsl 25).

-spec main() -> ok.
%% @doc Entry point (`-run beamtalk_runner main`): serve requests until `quit` or EOF, in a
%% process of its own (init must not block).
main() ->
    _ = spawn(fun serve/0),
    ok.

serve() ->
    Leader = spawn(fun stderr_leader/0),
    group_leader(Leader, self()),
    %% Logged events must not reach standard output (it carries the packets); the default
    %% handler's type cannot be changed in place, so it is replaced.
    _ = logger:remove_handler(default),
    _ = logger:add_handler(default, logger_std_h, #{config => #{type => standard_error}}),
    start_or_halt(),
    register(beamtalk_output, self()),
    Port = open_port({fd, 0, 1}, [{packet, 4}, binary, eof]),
    loop(Port, #{}).

%% The runtime and, for a `--node` node, its cookie. A runtime that cannot start ends the
%% node with one line on standard error, so the Python side sees the node exit (NodeFailed)
%% instead of waiting for a reply that never comes.
start_or_halt() ->
    try
        ok = beamtalk_classes:ensure_started(),
        ok = beamtalk_node:start_distribution()
    catch Class:Reason ->
            io:format(standard_error, "beamtalk: the runtime did not start: ~p:~0tp~n",
                      [Class, Reason]),
            erlang:halt(3, [{flush, true}])
    end.

loop(Port, Env) ->
    receive
        {Port, {data, Request}} ->
            {Op, Arg} = split(Request),
            Reply = fun(Body) -> port_command(Port, Body) end,
            case Op of
                <<"quit">> -> erlang:halt(0);
                _ ->
                    Env2 = try handle(Op, Arg, #{env => Env, reply => Reply})
                           catch Class:Reason ->
                                   Reply(error_reply(internal_error,
                                                     io_lib:format("~p:~0tp", [Class, Reason]))),
                                   Env
                           end,
                    loop(Port, Env2)
            end;
        {Port, eof} -> erlang:halt(0);
        {beamtalk_output, _, _} = Stray ->  % written between requests (an actor): keep order
            forward(Port, Stray),
            loop(Port, Env);
        {beamtalk_halt, Status} -> erlang:halt(Status, [{flush, true}])
    end.

split(Request) ->
    case binary:split(Request, <<"\n">>) of
        [Op, Arg] -> {Op, Arg};
        [Op] -> {Op, <<>>}
    end.

forward(Port, {beamtalk_output, Kind, Text}) ->
    port_command(Port, [atom_to_binary(Kind), $\n, Text]).

-spec handle(binary(), binary(), map()) -> map().
%% @doc Serve one request; answers the new top-level variables.
handle(<<"reset">>, _, #{reply := Reply}) ->
    stop_toplevel(),
    beamtalk_actor:kill_all(),
    beamtalk_classes:reset(),
    Reply(<<"ok\n">>),
    #{};
handle(<<"base">>, _, #{env := Env, reply := Reply}) ->
    beamtalk_classes:mark_base(),
    Reply(<<"ok\n">>),
    Env;
handle(<<"register">>, Names, #{env := Env, reply := Reply}) ->
    %% Class modules already on the code path (a batch-built stdlib), one name a line.
    Modules = [binary_to_atom(N) || N <- binary:split(Names, <<"\n">>, [global, trim_all])],
    lists:foreach(fun beamtalk_loader:ensure_module_imports/1, Modules),
    Reply(load_reply(register_loaded(Modules))),
    Env;
handle(<<"boot">>, Arg, #{env := Env, reply := Reply}) ->
    %% `register` through a saved image (beamtalk_image): the image file, the stdlib
    %% directory whose session the native compiler starts from (empty: none), the modules.
    [File, Dir | Names] = binary:split(Arg, <<"\n">>, [global]),
    Modules = [binary_to_atom(N) || N <- Names, N =/= <<>>],
    Warm = [{beamtalk_compiler:session_key(Dir),
             fun() -> beamtalk_compiler:warm(Dir) end} || Dir =/= <<>>],
    Register = fun() ->
                       lists:foreach(fun beamtalk_loader:ensure_module_imports/1, Modules),
                       register_loaded(Modules)
               end,
    Reply(load_reply(beamtalk_image:boot(File, Modules, Register, Warm))),
    Env;
handle(<<"noteuse">>, _, #{env := Env, reply := Reply}) ->
    %% After a sample program: what later nodes from the same image load in the background.
    _ = beamtalk_image:note_use(),
    Reply(<<"ok\n">>),
    Env;
handle(<<"arguments">>, Lines, #{env := Env, reply := Reply}) ->
    Arguments = [unicode:characters_to_list(L) || L <- binary:split(Lines, <<"\n">>, [global]),
                                                  L =/= <<>>],
    application:set_env(beamtalk_runtime, arguments, Arguments),
    Reply(<<"ok\n">>),
    Env;
handle(<<"load">>, Text, #{env := Env, reply := Reply}) ->
    Reply(load_reply(load_many([Text]))),
    Env;
handle(<<"loadmany">>, Texts, #{env := Env, reply := Reply}) ->
    Reply(load_reply(load_many(binary:split(Texts, <<0>>, [global, trim_all])))),
    Env;
handle(<<"eval">>, Text, #{env := Env, reply := Reply}) ->
    case beamtalk_loader:load_statement(Text) of
        {ok, Module} -> run_statement(Module, Env, Reply, print);
        {error, Message} -> Reply(error_reply(internal_error, Message)), Env
    end;
handle(<<"exec">>, Text, #{env := Env, reply := Reply}) ->
    %% `beamtalk run`: the value is awaited but not printed (printing a collection of
    %% futures would await them all).
    case beamtalk_loader:load_statement(Text) of
        {ok, Module} -> run_statement(Module, Env, Reply, quiet);
        {error, Message} -> Reply(error_reply(internal_error, Message)), Env
    end;
handle(Op, Arg, #{env := Env, reply := Reply}) when Op =:= <<"compile">>; Op =:= <<"build">> ->
    Reply(beamtalk_compiler:handle(Op, Arg)),  % the native compiler (beamtalk_compiler)
    Env;
handle(Op, _, #{env := Env, reply := Reply}) ->
    Reply(error_reply(internal_error, ["unknown request ", Op])),
    Env.

%% Load module texts: class modules are registered together (one regeneration per
%% selector), then `>>` methods in order.  Answers the last one's printString.
load_many(Texts) ->
    Loaded = [beamtalk_loader:load_core(T) || T <- Texts],
    case [Message || {error, Message} <- Loaded] of
        [Message | _] -> {error, internal_error, Message};
        [] -> register_loaded([M || {ok, M} <- Loaded])
    end.

register_loaded(Modules) ->
    case [M || M <- Modules, code:ensure_loaded(M) =/= {module, M}] of
        [Missing | _] -> {error, internal_error, io_lib:format("no module ~p", [Missing])};
        [] ->
            Classes = [M || M <- Modules, erlang:function_exported(M, '$class_info', 0)],
            try
                Registered = beamtalk_classes:register_many(Classes),
                Methods = [beamtalk_classes:add_method(M) || M <- Modules,
                                                             not lists:member(M, Classes)],
                {ok, beamtalk_object:send_print_string(lists:last(Registered ++ Methods))}
            catch error:Reason:Trace -> {error, beamtalk_handlers:to_exception(Reason, Trace)}
            end
    end.

load_reply({ok, Printed}) -> [<<"ok\n">>, Printed];
load_reply({error, Kind, Message}) -> error_reply(Kind, Message);
load_reply({error, Exception}) -> exception_reply(Exception).

%% Run a statement in the top-level process (one per session, so that futures made by one
%% statement can be awaited by a later one: a future belongs to the process that made the
%% send); its process dictionary is cleaned between statements except for its futures, and
%% it has a heap limit.  Transcript text and warnings written meanwhile are forwarded
%% before the result.
run_statement(Module, Env, Reply, How) ->
    Pid = toplevel(),
    Ref = erlang:monitor(process, Pid),
    Pid ! {eval, self(), Module, Env, How},
    wait(Pid, Ref, Env, Reply, running).

-define(TOPLEVEL, '$bt_toplevel').

toplevel() ->
    case get(?TOPLEVEL) of
        Pid when is_pid(Pid) ->
            case is_process_alive(Pid) of
                true -> Pid;
                false -> start_toplevel()
            end;
        _ -> start_toplevel()
    end.

start_toplevel() ->
    Pid = spawn_opt(fun toplevel_loop/0,
                    [{max_heap_size, #{size => ?MAX_HEAP_WORDS, kill => true,
                                       error_logger => false}}]),
    put(?TOPLEVEL, Pid),
    Pid.

stop_toplevel() ->
    case erase(?TOPLEVEL) of
        Pid when is_pid(Pid) ->
            Ref = erlang:monitor(process, Pid),
            exit(Pid, kill),
            receive {'DOWN', Ref, process, Pid, _} -> ok end;
        _ -> ok
    end.

toplevel_loop() ->
    receive
        {eval, From, Module, Env, How} ->
            Result = evaluate(Module, Env, How, From),
            beamtalk_future:prune(case Result of
                                      {ok, _, Env2} -> Env2;
                                      {error, _, Env2} -> Env2;
                                      {printfail, _, Env2} -> Env2;
                                      _ -> Env
                                  end),
            Keep = beamtalk_future:keep_keys(),
            [erase(K) || {K, _} <- get(), not lists:member(K, Keep)],
            From ! {self(), Result},
            toplevel_loop()
    end.

%% Phase: running, or {printing, Env2} once the statement has run and only its display is
%% left (a display that exhausts the heap is then a failed display, not a failed statement).
wait(Pid, Ref, Env, Reply, Phase) ->
    receive
        {beamtalk_output, Kind, Text} ->
            Reply([atom_to_binary(Kind), $\n, Text]),
            wait(Pid, Ref, Env, Reply, Phase);
        {Pid, {printing, Env2}} ->
            wait(Pid, Ref, Env, Reply, {printing, Env2});
        {beamtalk_halt, Status} ->  % `System exit:`: what was written before goes out first
            flush_output(Reply),
            erlang:halt(Status, [{flush, true}]);
        {Port, eof} when is_port(Port) ->  % the client went away mid-statement (killed):
            erlang:halt(0);                % a statement that never ends must not keep the node
        {Pid, {ok, Printed, Env2}} ->
            flush_output(Reply),
            erlang:demonitor(Ref, [flush]),
            Reply([<<"ok\n">>, Printed]),
            Env2;
        {Pid, {error, Exception}} ->
            flush_output(Reply),
            erlang:demonitor(Ref, [flush]),
            Reply(exception_reply(Exception)),
            Env;
        {Pid, {printfail, Exception, Env2}} ->
            flush_output(Reply),
            erlang:demonitor(Ref, [flush]),
            Reply(printfail_reply(Exception)),
            Env2;
        {Pid, {error, Exception, Env2}} ->  % the statement ran; awaiting its value failed
            flush_output(Reply),
            erlang:demonitor(Ref, [flush]),
            Reply(exception_reply(Exception)),
            Env2;
        {'DOWN', Ref, process, Pid, killed} ->
            erase(?TOPLEVEL),
            flush_output(Reply),
            Overflow = beamtalk_error:new(stack_overflow, #{}),
            case Phase of
                {printing, Env2} ->
                    Reply(printfail_reply(Overflow)),
                    Env2;
                running ->
                    Reply(exception_reply(Overflow)),
                    Env
            end;
        {'DOWN', Ref, process, Pid, Reason} ->
            erase(?TOPLEVEL),
            flush_output(Reply),
            Reply(error_reply(internal_error, io_lib:format("~0tp", [Reason]))),
            Env
    end.

flush_output(Reply) ->
    receive {beamtalk_output, Kind, Text} -> Reply([atom_to_binary(Kind), $\n, Text]),
                                             flush_output(Reply)
    after 0 -> ok
    end.

evaluate(Module, Env, How, From) ->
    try Module:run(Env) of
        {Value, Env2} ->
            %% A Future value is awaited before printing (LANGUAGE.md 3.2); a failed await
            %% still keeps the statement's assignments.
            try beamtalk_future:value(Value) of
                _ when How =:= quiet -> {ok, <<>>, Env2};
                Settled ->
                    %% The statement succeeded; only its display may fail (a printString
                    %% that fails or answers no String): a `printfail` reply, not an error.
                    From ! {self(), {printing, Env2}},
                    try {ok, beamtalk_object:send_print_string(Settled), Env2}
                    catch
                        error:Reason:Trace ->
                            {printfail, beamtalk_handlers:to_exception(Reason, Trace), Env2};
                        throw:Thrown:Trace ->
                            {printfail, beamtalk_handlers:to_exception({uncaught_throw, Thrown},
                                                                       Trace), Env2}
                    end
            catch error:Reason:Trace ->
                    {error, beamtalk_handlers:to_exception(Reason, Trace), Env2}
            end
    catch
        error:Reason:Trace -> {error, beamtalk_handlers:to_exception(Reason, Trace), journal(Env)};
        throw:Thrown:Trace -> {error, beamtalk_handlers:to_exception({uncaught_throw, Thrown},
                                                                     Trace), journal(Env)};
        exit:Reason:Trace -> {error, beamtalk_handlers:to_exception({exit, Reason}, Trace),
                              journal(Env)}
    end.

%% Env with the top-level assignments a failed statement made before it failed: the
%% generated code writes each one under {'$bt_top', Name} as it happens, so they are kept,
%% as on the interpreter (a failed assignment itself leaves its variable as it was).
journal(Env) ->
    lists:foldl(fun({{'$bt_top', Name}, Value}, E) -> maps:put(Name, Value, E);
                   (_, E) -> E
                end, Env, lists:sort(get())).


%% The printString a user class may override (through dispatch when the selector exists).
exception_reply(Exception) ->
    {Kind, Text} = exception_parts(Exception),
    error_reply(Kind, Text).

%% The statement ran; displaying its value failed with Exception.
printfail_reply(Exception) ->
    {Kind, Text} = exception_parts(Exception),
    [<<"printfail\n">>, Kind, $\n, Text].

%% The kind and text of an uncaught exception as the REPL shows them.
exception_parts(Exception0) ->
    Exception = beamtalk_handlers:strip(Exception0),
    %% As the interpreter's REPL line: the exception's own `kind` and `messageText` (a user
    %% class may override either), each shown by its displayString; an override that fails
    %% gives `error` and the text the exception was signalled with. (A node without the
    %% stdlib's Exception methods uses the built-in kind and text.)
    Raw = case beamtalk_error:message_text(Exception) of
              nil -> <<>>;
              T0 -> beamtalk_print:display_string(T0)
          end,
    try
        Kind = case answer(Exception, kind) of
                   none -> atom_to_binary(beamtalk_error:kind(Exception));
                   K when is_atom(K) -> atom_to_binary(K);
                   K -> displayed(K)
               end,
        Text = case answer(Exception, messageText) of
                   none -> Raw;
                   nil -> <<>>;
                   T -> displayed(T)
               end,
        {Kind, unicode:characters_to_binary(Text)}
    catch _:_ -> {<<"error">>, Raw}
    end.

%% The exception's answer to a unary selector, or none when nothing defines that selector
%% for it (any other failure is raised).
answer(Exception, Selector) ->
    try beamtalk_dispatch:send(Exception, Selector, [])
    catch Class:Reason:Stack ->
        case catch {beamtalk_error:kind(Reason), beamtalk_error:selector(Reason)} of
            {does_not_understand, Selector} -> none;
            _ -> erlang:raise(Class, Reason, Stack)
        end
    end.

displayed(X) ->
    case beamtalk_future:value(beamtalk_dispatch:send(X, displayString, [])) of
        Text when is_binary(Text) -> Text;
        _ -> erlang:error(not_a_string)
    end.

error_reply(Kind, Text) when is_atom(Kind) -> error_reply(atom_to_binary(Kind), Text);
error_reply(Kind, Text) -> [<<"error\n">>, Kind, $\n, unicode:characters_to_binary(Text)].

-spec stderr_leader() -> no_return().
%% @doc A group leader that sends all io output to standard error (fd 1 is the protocol's).
stderr_leader() ->
    receive
        {io_request, From, ReplyAs, Request} ->
            Result = io_result(Request),
            From ! {io_reply, ReplyAs, Result},
            stderr_leader();
        _ -> stderr_leader()
    end.

io_result({put_chars, Encoding, Chars}) ->
    io:put_chars(standard_error, unicode:characters_to_binary(Chars, Encoding)), ok;
io_result({put_chars, Encoding, M, F, A}) ->
    io_result({put_chars, Encoding, apply(M, F, A)});
io_result({put_chars, Chars}) -> io_result({put_chars, latin1, Chars});
io_result({put_chars, M, F, A}) -> io_result({put_chars, latin1, M, F, A});
io_result({requests, Requests}) -> lists:foldl(fun(R, _) -> io_result(R) end, ok, Requests);
io_result({get_chars, _, _, _}) -> eof;
io_result({get_line, _, _}) -> eof;
io_result({get_until, _, _, _, _, _}) -> eof;
io_result(_) -> {error, request}.
