%% A saved registry ("image"): the class registry's rows and the dispatch modules a node has
%% after registering the class modules of a batch build (the stdlib, or the stdlib and
%% compiler_bt), written by the first node that registers them and read back by the next
%% ones, which then start without regenerating a thousand dispatch modules: their `.beam`
%% files go on the code path and load when first called, as the class modules do
%% (bootstrap/native_compiler.py names the file after the build's content; see
%% docs/native-backend.md, "Starting a node").
%%
%% `File` holds one term, `{beamtalk_image, Version, Header, Rows, Eager, Terms}`:
%%   Header  the OTP release, the md5 of the modules whose code decides what registering
%%           produces, and the registered modules' names (a mismatch makes the file stale:
%%           the node registers instead, and rewrites it);
%%   Rows    the registry's table without its caches;
%%   Eager   {Module, Binary} of the dispatch modules whose name cannot be a file name
%%           (a selector with `/`), loaded at once;
%%   Terms   persistent terms computed after registering (the native compiler's stdlib
%%           session).
%% `File.dispatch/` holds the other dispatch modules, one `.beam` each.  A registration whose
%% class state defaults ran code is never saved (running them again could differ), nor a term
%% holding a process, port or reference.
%%
%% `File.preload` (optional, written by note_use/0 after a sample program ran: `beamtalk
%% bootstrap` does it) lists the modules a node loaded after it booted; a node restoring the
%% image loads them in the background, so a first compile or statement finds its code loaded
%% instead of loading a few hundred modules one by one.  Loading code changes no behaviour.
-module(beamtalk_image).
-export([boot/4, save/3, restore/2, note_use/0]).

-define(TAB, beamtalk_classes).
-define(VERSION, 2).
%% The modules whose code decides what registering produces, besides the registered ones.
-define(RUNTIME, [beamtalk_classes, beamtalk_dispatch_gen, beamtalk_dispatch,
                  beamtalk_stdlib_classes]).

-spec boot(file:filename_all(), [module()], fun(() -> Result), [{term(), fun(() -> term())}]) ->
          Result | {ok, binary()}.
%% @doc Restore File when it was made from Modules (answering `{ok, <<"restored">>}`); else
%% run Register (which registers them) and, when it answers `{ok, _}`, run each warm-up and
%% save the image.  A warm-up is `{Key, Compute}`: Compute puts the persistent term Key,
%% which the image carries.
boot(File, Modules, Register, Warm) ->
    case restore(File, Modules) of
        ok -> {ok, <<"restored">>};
        stale ->
            case Register() of
                {ok, _} = Registered ->
                    [Compute() || {_, Compute} <- Warm],
                    %% An image that cannot be written (a read-only build) only costs time.
                    _ = try save(File, Modules, [Key || {Key, _} <- Warm])
                        catch _:_ -> skipped
                        end,
                    Registered;
                Other -> Other
            end
    end.

-spec restore(file:filename_all(), [module()]) -> ok | stale.
%% @doc Install a saved image made from exactly these modules by this code; stale (nothing
%% changed) when the file is missing, unreadable or made from other code.
restore(File, Modules) ->
    Dir = dispatch_dir(File),
    case read(File) of
        {ok, {beamtalk_image, ?VERSION, Header, Rows, Eager, Terms}} ->
            case Header =:= header(Modules) andalso filelib:is_dir(Dir) of
                true ->
                    Installed = install(Dir, Rows, Eager, Terms),
                    _ = Installed =:= ok andalso preload(File),
                    Installed;
                false -> stale
            end;
        _ -> stale
    end.

dispatch_dir(File) -> unicode:characters_to_list(File) ++ ".dispatch".

read(File) ->
    case file:read_file(File) of
        {ok, Binary} ->
            try {ok, binary_to_term(Binary)}
            catch error:badarg -> error
            end;
        {error, _} -> error
    end.

install(Dir, Rows, Eager, Terms) ->
    %% First on the path: a dispatch module is found at the first directory tried.
    case code:add_patha(Dir) =:= true
        andalso code:atomic_load([{M, atom_to_list(M), B} || {M, B} <- Eager]) of
        ok ->
            %% Nothing else runs yet (the node's first request), so the rows go straight
            %% into the table, as the registry's server would have written them.
            ets:insert(?TAB, Rows),
            [persistent_term:put(K, V) || {K, V} <- Terms],
            beamtalk_actor:bump_generation(),
            ok;
        _ -> _ = code:del_path(Dir), stale
    end.

%% What the node has loaded once booted is remembered (note_use/0 writes what came after);
%% the modules of File.preload are loaded by a process of their own, a few at a time so the
%% first ones are there soon (each batch loads in parallel: code:ensure_modules_loaded/1).
preload(File) ->
    Path = unicode:characters_to_list(File),
    persistent_term:put({?MODULE, booted}, {Path, [M || {M, _} <- code:all_loaded()]}),
    case read(Path ++ ".preload") of
        {ok, Modules} when is_list(Modules) ->
            spawn(fun() ->
                          [code:ensure_modules_loaded(Batch) || Batch <- batches(Modules, 40)]
                  end);
        _ -> none
    end.

batches([], _) -> [];
batches(Items, N) when length(Items) =< N -> [Items];
batches(Items, N) ->
    {Batch, Rest} = lists:split(N, Items),
    [Batch | batches(Rest, N)].

-spec note_use() -> ok | skipped.
%% @doc Write File.preload beside the image this node restored: the modules loaded since it
%% booted that a node finds on its code path (not a program's own), in name order; skipped
%% when the node did not boot from an image.
note_use() ->
    case persistent_term:get({?MODULE, booted}, none) of
        {Path, Booted} ->
            Used = [M || M <- lists:sort([M || {M, _} <- code:all_loaded()] -- Booted),
                         code:where_is_file(atom_to_list(M) ++ ".beam") =/= non_existing],
            write(Path ++ ".preload", term_to_binary(Used));
        none -> skipped
    end.

header(Modules) ->
    {erlang:system_info(otp_release), [{M, M:module_info(md5)} || M <- ?RUNTIME],
     lists:sort(Modules)}.

-spec save(file:filename_all(), [module()], [term()]) -> ok | skipped.
%% @doc Write the image of the registry as it is now (just after registering Modules) with
%% these persistent terms; skipped when it cannot be replayed exactly or not written.
save(File, Modules, TermKeys) ->
    Rows = [R || R <- ets:tab2list(?TAB), kept(element(1, R))],
    Terms = [{K, persistent_term:get(K)} || K <- TermKeys,
                                             persistent_term:get(K, none) =/= none],
    ClassState = [R || {{cvar, _, _}, _} = R <- Rows],
    case {ClassState, dispatch_binaries(Rows), lists:all(fun portable/1, Terms)} of
        {[], {ok, Dispatch}, true} ->
            {Eager, Lazy} = lists:partition(fun({M, _}) -> not file_name(M) end, Dispatch),
            Image = {beamtalk_image, ?VERSION, header(Modules), Rows, Eager, Terms},
            case write_dir(dispatch_dir(File), Lazy) of
                ok -> write(File, term_to_binary(Image));
                skipped -> skipped
            end;
        _ -> skipped
    end.

%% The table's caches (compiled dispatch binaries by digest) are left out; so is a marked
%% base, which the client sets after starting.
kept({dispatch_binary, _}) -> false;
kept(base) -> false;
kept(_) -> true.

%% Whether `<Module>.beam` can be a file name (the code path holds it).
file_name(Module) -> not lists:member($/, atom_to_list(Module)).

%% The binary of each loaded dispatch module, found among the compiled ones the registry
%% keeps by the loaded module's md5; error when one is missing.
dispatch_binaries(Rows) ->
    ByMd5 = maps:from_list([{Md5, Binary}
                            || {{dispatch_binary, _}, Binary} <- ets:tab2list(?TAB),
                               {ok, {_, Md5}} <- [beam_lib:md5(Binary)]]),
    Found = [begin
                 Module = beamtalk_dispatch:dispatch_module(Selector),
                 {Module, maps:get(Module:module_info(md5), ByMd5, missing)}
             end || {{sel, Selector}, _} <- Rows],
    case lists:keymember(missing, 2, Found) of
        true -> error;
        false -> {ok, Found}
    end.

%% A term another node can read back meaning the same: no process, port or reference
%% (a fun's captured values included).
portable(T) when is_pid(T); is_port(T); is_reference(T) -> false;
portable(T) when is_list(T) -> portable_list(T);
portable(T) when is_tuple(T) -> portable_list(tuple_to_list(T));
portable(T) when is_map(T) -> portable_list(maps:to_list(T));
portable(T) when is_function(T) ->
    case erlang:fun_info(T, type) of
        {type, local} -> {env, Env} = erlang:fun_info(T, env), portable_list(Env);
        {type, external} -> true
    end;
portable(_) -> true.

portable_list([H | T]) -> portable(H) andalso portable_list(T);
portable_list([]) -> true;
portable_list(Tail) -> portable(Tail).  % an improper list

%% The directory is filled under another name and renamed: a node starting meanwhile sees
%% all of it or nothing (the image, written after it, names it).
write_dir(Dir, Modules) ->
    Partial = Dir ++ "." ++ os:getpid(),
    _ = file:del_dir_r(Partial),
    Written = [filelib:ensure_path(Partial)
               | [file:write_file(filename:join(Partial, atom_to_list(M) ++ ".beam"), B)
                  || {M, B} <- Modules]],
    Outcome = case lists:all(fun(W) -> W =:= ok end, Written) of
                  true ->
                      case file:rename(Partial, Dir) of
                          ok -> ok;
                          {error, _} -> same_dir(Dir, Modules)
                      end;
                  false -> skipped
              end,
    _ = file:del_dir_r(Partial),
    Outcome.

%% Another node put the directory in place first: ok when it holds these very modules (the
%% image is never written beside a directory it does not describe).
same_dir(Dir, Modules) ->
    Same = fun({M, B}) ->
                   file:read_file(filename:join(Dir, atom_to_list(M) ++ ".beam")) =:= {ok, B}
           end,
    case file:list_dir(Dir) of
        {ok, Names} when length(Names) =:= length(Modules) ->
            case lists:all(Same, Modules) of
                true -> ok;
                false -> skipped
            end;
        _ -> skipped
    end.

write(File, Binary) ->
    Partial = unicode:characters_to_list(File) ++ "." ++ os:getpid(),
    case file:write_file(Partial, Binary) of
        ok ->
            case file:rename(Partial, File) of
                ok -> ok;
                {error, _} -> _ = file:delete(Partial), skipped
            end;
        {error, _} -> skipped  % an unwritable build directory only costs time
    end.
