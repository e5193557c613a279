%% Generating the per-selector dispatch modules `bt@sel@<selector>` from the registry
%% (docs/native-backend.md): one clause per receiver kind whose method differs from the
%% generic one, each a static tail call, and a last clause for the generic method or DNU.
-module(beamtalk_dispatch_gen).
-export([generate/1, forms/1, clauses/1, selector_arity/1, setter_selector/1,
         awaited_arguments/1, local_name/2]).

-define(L, 1).

%% Tags of the kinds a Tuple clause must not catch, with their tuple sizes.
-define(TAGS, [{'$inst', 3}, {'$exc', 3}, {'$class', 2}, {'$metaclass', 2}, {'$char', 2},
               {'$set', 2}, {'$interval', 4}, {'$assoc', 3}, {'$method', 4},
               {'$message', 3}, {'$future', 3}, {'$actor', 4}]).

-spec selector_arity(atom()) -> non_neg_integer().
%% @doc The argument count of a selector: its colons, 1 for a binary operator, else 0.
selector_arity(Selector) ->
    Name = atom_to_list(Selector),
    case length([C || C <- Name, C =:= $:]) of
        0 -> case Name of
                 [] -> 0;  % `perform: ''`: no operator, as `'' asSymbol numArgs` answers
                 [C | _] when (C >= $a andalso C =< $z) orelse (C >= $A andalso C =< $Z)
                              orelse C =:= $_ -> 0;
                 _ -> 1
             end;
        N -> N
    end.

-spec setter_selector(atom()) -> atom().
%% @doc The copy-setter of a field: `x` -> `withX:`.
setter_selector(Field) ->
    [First | Rest] = atom_to_list(Field),
    list_to_atom("with" ++ string:uppercase([First]) ++ Rest ++ ":").

-spec generate([atom()]) -> ok | {error, binary()}.
%% @doc (Re)generate and load the dispatch modules of these selectors; a failure is
%% reported (the others are still loaded), never a crash of the registry.
generate(Selectors) ->
    Failed = [{S, Class, Reason} || S <- Selectors,
                                    {Class, Reason} <- [try load(S), none
                                                        catch C:R -> {C, R}
                                                        end]],
    case Failed of
        [] -> ok;
        _ -> {error, unicode:characters_to_binary(
                       [io_lib:format("dispatch module of #~ts: ~0tp:~0tp; ", [S, C, R])
                        || {S, C, R} <- Failed])}
    end.

-define(OPTIONS, [binary, return_errors, deterministic, no_ssa_opt]).

load(Selector) ->
    Module = beamtalk_dispatch:dispatch_module(Selector),
    Binary = compiled(forms(Selector)),
    %% A dispatch function only tail-calls, so no process keeps a frame in its old code.
    _ = code:soft_purge(Module),
    {module, Module} = code:load_binary(Module, atom_to_list(Module), Binary),
    ok.

%% Compiling dominates regeneration, and the same forms come back (every node start loads
%% the same stdlib; reset returns to the base), so binaries are kept by a digest of their
%% forms: in the registry's table, and in the directory named by the application
%% environment's `dispatch_cache` when set (shared by nodes, written atomically).
compiled(Forms) ->
    Key = erlang:md5(term_to_binary({erlang:system_info(otp_release), ?OPTIONS, Forms})),
    case ets:lookup(beamtalk_classes, {dispatch_binary, Key}) of
        [{_, Binary}] -> Binary;
        [] ->
            Binary = case read_cached(Key) of
                         {ok, Cached} -> Cached;
                         error ->
                             {ok, _, Fresh} = compile:forms(Forms, ?OPTIONS),
                             write_cached(Key, Fresh),
                             Fresh
                     end,
            ets:insert(beamtalk_classes, {{dispatch_binary, Key}, Binary}),
            Binary
    end.

cache_file(Key) ->
    case application:get_env(beamtalk_runtime, dispatch_cache) of
        {ok, Dir} -> {ok, filename:join(Dir, binary_to_list(binary:encode_hex(Key)) ++ ".beam")};
        undefined -> none
    end.

read_cached(Key) ->
    case cache_file(Key) of
        {ok, File} -> case file:read_file(File) of
                          {ok, Binary} -> {ok, Binary};
                          {error, _} -> error
                      end;
        none -> error
    end.

write_cached(Key, Binary) ->
    case cache_file(Key) of
        {ok, File} ->
            Partial = File ++ "." ++ os:getpid(),
            _ = filelib:ensure_dir(File),
            case file:write_file(Partial, Binary) of
                ok -> _ = file:rename(Partial, File), ok;
                {error, _} -> ok  % an unwritable cache only costs time
            end;
        none -> ok
    end.

-spec forms(atom()) -> [erl_parse:abstract_form()].
%% @doc The abstract forms of a selector's dispatch module.
forms(Selector) ->
    Module = beamtalk_dispatch:dispatch_module(Selector),
    Arity = selector_arity(Selector) + 1,
    Args = [{var, ?L, list_to_atom("A" ++ integer_to_list(I))} || I <- lists:seq(1, Arity - 1)],
    Specs = clauses(Selector),
    Clauses = [clause(Pattern, Guard, Target, Selector, Args) || {Pattern, Guard, Target} <- Specs],
    Locals = locals(Selector, Specs, Args),
    [{attribute, ?L, module, Module},
     {attribute, ?L, export, [{send, Arity}, {await, Arity}, {'$cur', 1},
                              {'$handle_undefined_function', 2}]
                             ++ [{Name, Arity} || {function, _, Name, _, _} <- Locals]},
     {function, ?L, send, Arity, Clauses},
     {function, ?L, await, Arity, await_clauses(Selector, Module, Args)},
     current(Selector, Specs),
     undefined_local(Module, Arity)
     | Locals].

%% `'$local M'(R, Args...)` (`'$local class M'` on the class side): the self-sends of an
%% exact variant of module M (docs/native-backend.md); M is a class module, or a `>>` module
%% sending its own selector. The receiver is exactly M's class C (or C), so the function is a
%% tail call of the method C itself has for the selector, while C has one in a compiled
%% module: its exact variant when it has one, else its function (a method that sends
%% nothing to itself, or a `>>` module's function, which tests the receiver itself). A
%% class module calls it for each selector it defined when compiled, also after a `>>`
%% definition replaced that method, or when the method has no exact variant. A module whose
%% class no longer has its own compiled method for the selector (`removeSelector:`, or M is
%% a `>>` module replaced since) finds its `'$local ...'` function undefined, and
%% '$handle_undefined_function'/2 sends instead.
locals(Selector, Specs, Args) ->
    R = {var, ?L, 'R'},
    Arity = length(Args) + 1,
    Owned = lists:usort([{Side, C, M, F} || {P, _, {M, F}} <- Specs, is_atom(M),
                                            M =/= getter, M =/= setter,
                                            {Side, C} <- pattern_class(P),
                                            own_target(C, Side, Selector) =:= {M, F},
                                            exports(M, F, Arity)]),
    Defs = lists:ukeysort(1,
             [{local_name(Side, Caller), method_call(M, F, Arity, [R | Args])}
              || {Side, C, M, F} <- Owned,
                 Caller <- lists:usort([M, class_module(C)]),
                 has_exact_variants(Caller)]),
    [{function, ?L, Name, Arity, [{clause, ?L, [R | Args], [], [Body]}]}
     || {Name, Body} <- Defs].

%% A tail call of a method's exact variant, or of its function when it has none.
method_call(M, F, Arity, Args) ->
    case exports(M, exact_name(F), Arity) of
        true -> remote(M, exact_name(F), Args);
        false -> remote(M, F, Args)
    end.

%% The (loaded) class module of a class, none for a skeleton.
class_module(C) ->
    case beamtalk_classes:info(C) of
        #{module := M} when is_atom(M) -> M;
        _ -> none
    end.

%% Whether a module has exact variants, whose self-sends call `'$local ...'` functions.
has_exact_variants(none) -> false;
has_exact_variants(M) ->
    loaded(M) andalso
        lists:any(fun({Name, _}) -> lists:suffix("$exact", atom_to_list(Name)) end,
                  M:module_info(exports)).

%% The class whose own instances (or itself, on the class side) a clause pattern matches.
pattern_class({named, _, C}) -> [{instance, C}];
pattern_class({class, C}) -> [{class, C}];
pattern_class(_) -> [].

own_target(Class, Side, Selector) ->
    case maps:find(Selector, beamtalk_classes:own_methods(Class, Side)) of
        {ok, #{target := Target}} -> Target;
        error -> none
    end.

exact_name(F) -> list_to_atom(atom_to_list(F) ++ "$exact").

-spec local_name(instance | class, atom()) -> atom().
%% @doc The name of module M's `'$local ...'` function on that side (the loader renames it).
local_name(instance, M) -> list_to_atom("$local " ++ atom_to_list(M));
local_name(class, M) -> list_to_atom("$local class " ++ atom_to_list(M)).

exports(M, F, A) ->
    loaded(M) andalso erlang:function_exported(M, F, A).

%% Whether a module is loaded, loading it from the code path first if it is not.
loaded(M) ->
    _ = code:is_loaded(M) =:= false andalso code:ensure_loaded(M),
    erlang:module_loaded(M).

undefined_local(Module, Arity) ->
    F = {var, ?L, 'F'},
    As = {var, ?L, 'As'},
    {function, ?L, '$handle_undefined_function', 2,
     [{clause, ?L, [F, As],
       [[{call, ?L, {atom, ?L, is_atom}, [F]},
         {op, ?L, '=:=', {call, ?L, {atom, ?L, length}, [As]}, {integer, ?L, Arity}}]],
       [{'case', ?L, {call, ?L, {remote, ?L, {atom, ?L, lists}, {atom, ?L, prefix}},
                      [{string, ?L, "$local "}, {call, ?L, {atom, ?L, atom_to_list}, [F]}]},
         [{clause, ?L, [{atom, ?L, true}], [],
           [{call, ?L, {remote, ?L, {atom, ?L, erlang}, {atom, ?L, apply}},
             [{atom, ?L, Module}, {atom, ?L, send}, As]}]},
          {clause, ?L, [{var, ?L, '_'}], [], [undef(Module, F, As)]}]}]},
      {clause, ?L, [F, As], [], [undef(Module, F, As)]}]}.

undef(Module, F, As) ->
    remote(error_handler, raise_undef_exception, [{atom, ?L, Module}, F, As]).

%% `(r m: a) await` as one call (the native compiler emits it): to an actor of another
%% process, the send and the receive in one function (beamtalk_actor:call/4); to anything
%% else, the send and then `await` sent to its answer, as the two sends would.
await_clauses(Selector, Module, Args) ->
    R = {var, ?L, 'R'},
    Then = {clause, ?L, [R | Args], [],
            [remote(beamtalk_dispatch:dispatch_module(await), send,
                    [{call, ?L, {atom, ?L, send}, [R | Args]}])]},
    case beamtalk_dispatch:resolve_instance('Actor', Selector) of
        {beamtalk_actor, _} -> [Then];  % the reference answers it itself
        _ ->
            Remote = {clause, ?L,
                      [pattern({actor_local_any}, R) | Args],
                      [[{op, ?L, '=/=', {var, ?L, 'P'}, {call, ?L, {atom, ?L, self}, []}}]],
                      [remote(beamtalk_actor, call, [R, {atom, ?L, Selector}, list(Args),
                                                     {atom, ?L, Module}])]},
            [Remote, Then]
    end.

%% `'$cur'(ClassModule)`: true when some receiver's method for this selector is that class
%% module's own function. A class module's self-send calls its own function directly only
%% while this answers true (docs/native-backend.md), so regenerating the dispatch module
%% after a `>>` definition, `removeSelector:` or a class redefinition ends the shortcut.
current(Selector, Specs) ->
    Modules = lists:usort([M || {_, _, {M, F}} <- Specs, F =:= Selector,
                                M =/= getter, M =/= setter]),
    Var = {var, ?L, '_'},
    {function, ?L, '$cur', 1,
     [{clause, ?L, [{atom, ?L, M}], [], [{atom, ?L, true}]} || M <- Modules]
         ++ [{clause, ?L, [Var], [], [{atom, ?L, false}]}]}.

-spec clauses(atom()) -> [{term(), term(), term()}].
%% @doc The dispatch clauses of a selector, in order: {Pattern, Guard, Target}.
clauses(Selector) ->
    Default = beamtalk_dispatch:resolve_instance('Object', Selector),
    ClassDefault = beamtalk_dispatch:class_protocol(Selector),
    Classes = beamtalk_classes:all_classes(),
    %% Value and exception instances first: their tags are disjoint from every other
    %% clause's receivers (no scalar, atom, actor or future), and they are the common case.
    Named = [{named(Kind, C), none, T}
             || C <- Classes, {Kind, T} <- [named_target(C, Selector)], Kind =/= none,
                T =/= Default],
    Tagged = [{{class, C}, none, T}
            || C <- Classes, T <- [beamtalk_dispatch:resolve_class_side(C, Selector)],
               T =/= ClassDefault]
        ++ [{{tag, '$class', 2}, none, ClassDefault} || ClassDefault =/= Default]
        ++ [{{tag, Tag, Size}, none, T}
            || {Tag, Size, C} <- [{'$metaclass', 2, 'Metaclass'} | builtin_tags()],
               T <- [tag_target(C, Selector)], T =/= Default],
    Guarded = [{{any}, Guard, T}
               || {C, Guard} <- builtin_guards(), beamtalk_classes:exists(C),
                  T <- [beamtalk_dispatch:resolve_instance(C, Selector)], T =/= Default],
    Atoms = [{{atom, A}, none, T}
             || {A, C} <- [{nil, 'UndefinedObject'}, {true, 'True'}, {false, 'False'}],
                T <- [beamtalk_dispatch:resolve_instance(C, Selector)],
                T =/= Default orelse lists:keymember(is_atom, 2, Guarded)],
    %% A Tuple clause must come after every tagged kind, so those get their own clauses.
    CatchTags = case lists:keymember(is_tuple, 2, Guarded) of
                    true -> [{{tag, Tag, Size}, none, Default} || {Tag, Size} <- ?TAGS];
                    false -> []
                end,
    Named ++ future_arguments(Selector) ++ collection_future_arguments(Selector) ++ Atoms
        ++ actor_clauses(Selector, Classes) ++ Tagged
        ++ CatchTags ++ Guarded ++ [{{any}, none, Default}].

%% Actor references (LANGUAGE.md 3.2): the messages the reference answers itself (Actor's
%% sealed primitives) for every actor; otherwise, in the actor's own process, the method
%% its class finds (a synchronous self-send), and from any other process a future.
actor_clauses(Selector, Classes) ->
    case beamtalk_dispatch:resolve_instance('Actor', Selector) of
        {beamtalk_actor, _} = Own -> [{{tag, '$actor', 4}, none, Own}];
        LocalDefault ->
            [{{actor_local, C}, self_pid, T}
             || C <- Classes, not is_native(C), beamtalk_classes:kind(C) =:= actor,
                T <- [beamtalk_dispatch:resolve_instance(C, Selector)], T =/= LocalDefault]
                ++ [{{actor_local_any}, self_pid, LocalDefault},
                    {{tag, '$actor', 4}, none, remote}]
    end.

%% A future given to a primitive operation of a scalar receiver is awaited first
%% (LANGUAGE.md 3.2): one clause per argument position, before all others.
future_arguments(Selector) ->
    [{{future_arg, I}, scalar, resend} || I <- lists:seq(1, selector_arity(Selector))].

%% A future given to a collection primitive where the primitive needs its value (an index,
%% a key or element it compares or hashes, a collection it reads) is awaited first; values
%% it only stores may stay futures (LANGUAGE.md 3.2).  One clause per such position.
collection_future_arguments(Selector) ->
    Positions = awaited_arguments(Selector),
    [{{future_arg, I}, collection, {resend_some, Positions}} || I <- Positions].

-spec awaited_arguments(atom()) -> [pos_integer()].
%% @doc The 1-based positions of the arguments a collection primitive awaits (the
%% interpreter's table is interp/runtime/primitives/awaiting.py; a test checks they agree).
awaited_arguments(Selector) ->
    case Selector of
        'at:' -> [1];
        'at:put:' -> [1];
        'at:ifAbsent:' -> [1];
        'includes:' -> [1];
        'includesKey:' -> [1];
        'indexOf:' -> [1];
        'remove:' -> [1];
        'removeKey:' -> [1];
        'copyFrom:to:' -> [1, 2];
        'first:' -> [1];
        'take:' -> [1];
        'last:' -> [1];
        'drop:' -> [1];
        ',' -> [1];
        '++' -> [1];
        'addAll:' -> [1];
        'zip:' -> [1];
        'join:' -> [1];
        'union:' -> [1];
        'intersection:' -> [1];
        'difference:' -> [1];
        'merge:' -> [1];
        '=' -> [1];
        '~=' -> [1];
        _ -> []
    end.

tag_target('Metaclass', Selector) -> beamtalk_dispatch:resolve_metaclass(Selector);
tag_target('Future', Selector) ->
    %% A future answers its own protocol; every other message awaits it first.
    case maps:find(Selector, beamtalk_classes:own_methods('Future', instance)) of
        {ok, #{target := Target}} -> Target;
        error -> forward
    end;
tag_target(Class, Selector) ->
    case beamtalk_classes:exists(Class) of
        true -> beamtalk_dispatch:resolve_instance(Class, Selector);
        false -> beamtalk_dispatch:resolve_instance('Object', Selector)
    end.

%% Instances of classes that are not native kinds: value instances and exceptions.
named_target(Class, Selector) ->
    case is_native(Class) of
        true -> {none, none};
        false ->
            case beamtalk_classes:kind(Class) of
                actor -> {none, none};  % actor sends: issue 14
                exception -> {'$exc', beamtalk_dispatch:resolve_instance(Class, Selector)};
                value -> {'$inst', beamtalk_dispatch:resolve_instance(Class, Selector)}
            end
    end.

named(Kind, Class) -> {named, Kind, Class}.

is_native(Class) ->
    lists:keymember(Class, 1, builtin_guards())
        orelse lists:keymember(Class, 3, builtin_tags())
        orelse lists:member(Class, ['UndefinedObject', 'True', 'False', 'Metaclass', 'Object'])
        orelse lists:member(Class, abstract_builtins()).

%% Built-in classes that have no instances of their own (their methods are inherited).
abstract_builtins() -> ['Boolean', 'Number', 'Class', 'Actor', 'Supervisor'].

builtin_guards() ->
    [{'Integer', is_integer}, {'Float', is_float}, {'String', is_binary}, {'Symbol', is_atom},
     {'List', is_list}, {'Dictionary', is_map}, {'Block', is_function}, {'Tuple', is_tuple}].

builtin_tags() ->
    [{'$char', 2, 'Character'}, {'$set', 2, 'Set'}, {'$interval', 4, 'Interval'},
     {'$assoc', 3, 'Association'}, {'$method', 4, 'CompiledMethod'},
     {'$message', 3, 'Message'}, {'$future', 3, 'Future'}].

%% The argument patterns of a future-argument clause: the I-th argument is a Future.
future_patterns(I, Args) ->
    Future = {tuple, ?L, [{atom, ?L, '$future'}, {var, ?L, '_'}, {var, ?L, '_'}]},
    [case N of
         I -> {match, ?L, Future, A};
         _ -> A
     end || {N, A} <- lists:zip(lists:seq(1, length(Args)), Args)].

clause({future_arg, I}, collection, {resend_some, Positions}, Selector, Args) ->
    R = {var, ?L, 'R'},
    Patterns = future_patterns(I, Args),
    Collection = [[{call, ?L, {atom, ?L, Test}, [R]}] || Test <- [is_list, is_map]]
        ++ [[{call, ?L, {atom, ?L, is_tuple}, [R]},
             {op, ?L, '=:=', {call, ?L, {atom, ?L, element}, [{integer, ?L, 1}, R]},
              {atom, ?L, Tag}}] || Tag <- ['$set', '$interval']],
    {clause, ?L, [R | Patterns], Collection,
     [remote(beamtalk_future, resend_some, [{atom, ?L, Selector}, erl_parse:abstract(Positions),
                                            list([R | Args])])]};
clause({future_arg, I}, scalar, resend, Selector, Args) ->
    R = {var, ?L, 'R'},
    Patterns = future_patterns(I, Args),
    Scalar = [[{call, ?L, {atom, ?L, Test}, [R]}]
              || Test <- [is_number, is_binary, is_atom]]
        ++ [[{call, ?L, {atom, ?L, is_tuple}, [R]},
             {op, ?L, '=:=', {call, ?L, {atom, ?L, element}, [{integer, ?L, 1}, R]},
              {atom, ?L, '$char'}}],
            [{op, ?L, '=:=', R, {tuple, ?L, [{atom, ?L, '$class'}, {atom, ?L, 'Transcript'}]}}]],
    {clause, ?L, [R | Patterns], Scalar,
     [remote(beamtalk_future, resend, [{atom, ?L, Selector}, list([R | Args])])]};
clause(Pattern, Guard, Target, Selector, Args) ->
    R = {var, ?L, 'R'},
    Guards = case Guard of
                 none -> [];
                 self_pid -> [[{op, ?L, '=:=', {var, ?L, 'P'}, {call, ?L, {atom, ?L, self}, []}}]];
                 Test -> [[{call, ?L, {atom, ?L, Test}, [R]}]]
             end,
    Body = case Guard of
               self_pid -> current_methods(body(Target, Selector, R, Args), Selector, R, Args);
               _ -> body(Target, Selector, R, Args)
           end,
    {clause, ?L, [pattern(Pattern, R) | Args], Guards, [Body]}.

%% In the actor's own process: the target as generated, unless methods changed since the
%% running message started (then the methods it started with, beamtalk_actor:stale_send/3).
current_methods(Call, Selector, R, Args) ->
    Same = {op, ?L, '=:=', {call, ?L, {atom, ?L, get}, [{atom, ?L, '$bt_gen'}]},
            remote(beamtalk_actor, generation, [])},
    {'case', ?L, Same,
     [{clause, ?L, [{atom, ?L, true}], [], [Call]},
      {clause, ?L, [{var, ?L, '_'}], [],
       [remote(beamtalk_actor, stale_send, [R, {atom, ?L, Selector}, list(Args)])]}]}.

pattern({atom, A}, R) -> {match, ?L, {atom, ?L, A}, R};
pattern({any}, R) -> R;
pattern({class, C}, R) -> {match, ?L, {tuple, ?L, [{atom, ?L, '$class'}, {atom, ?L, C}]}, R};
pattern({named, Tag, C}, R) ->
    {match, ?L, {tuple, ?L, [{atom, ?L, Tag}, {atom, ?L, C}, {var, ?L, '_'}]}, R};
pattern({actor_local, C}, R) ->
    {match, ?L, {tuple, ?L, [{atom, ?L, '$actor'}, {atom, ?L, C}, {var, ?L, 'P'}, {var, ?L, '_'}]},
     R};
pattern({actor_local_any}, R) ->
    {match, ?L, {tuple, ?L, [{atom, ?L, '$actor'}, {var, ?L, '_'}, {var, ?L, 'P'}, {var, ?L, '_'}]},
     R};
pattern({tag, Tag, Size}, R) ->
    Rest = [{var, ?L, '_'} || _ <- lists:seq(2, Size)],
    {match, ?L, {tuple, ?L, [{atom, ?L, Tag} | Rest]}, R}.

body({getter, Field}, _, R, []) -> remote(beamtalk_object, field, [R, {atom, ?L, Field}]);
body({setter, Field}, _, R, [V]) ->
    remote(beamtalk_object, with_field, [R, {atom, ?L, Field}, V]);
body({Module, Function}, _, R, Args) -> remote(Module, Function, [R | Args]);
body(remote, Selector, R, Args) ->
    remote(beamtalk_actor, send, [R, {atom, ?L, Selector}, list(Args),
                                  {atom, ?L, beamtalk_dispatch:dispatch_module(Selector)}]);
body(forward, Selector, R, Args) ->
    remote(beamtalk_future, forward, [R, {atom, ?L, Selector}, list(Args)]);
body(unsupported, Selector, R, Args) ->
    remote(beamtalk_dispatch, unsupported, [R, {atom, ?L, Selector}, list(Args)]);
body(dnu, Selector, R, Args) ->
    remote(beamtalk_dispatch, dnu, [R, {atom, ?L, Selector}, list(Args)]).

remote(M, F, Args) -> {call, ?L, {remote, ?L, {atom, ?L, M}, {atom, ?L, F}}, Args}.

list([]) -> {nil, ?L};
list([H | T]) -> {cons, ?L, H, list(T)}.
