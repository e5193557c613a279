%% Loading Core Erlang text made by compiler_bt: scan, parse, rename the module to a fresh
%% `<name>@<N>` (a class version is never reloaded under the same name), compile, load,
%% and create the dispatch modules its sends import before anything runs it.
-module(beamtalk_loader).
-export([compile_core/2, load_core/1, load_core/2, load_class/1, load_method/1,
         load_statement/1, ensure_module_imports/1, load_binary/2]).

-spec compile_core(binary() | string(), rename | keep) ->
          {ok, atom(), binary()} | {error, binary()}.
%% @doc Compile a Core module text; `rename` gives it a fresh versioned name.
compile_core(Text, Rename) ->
    %% Scanned as bytes: units are ASCII outside comments (docs/native-backend.md), and
    %% core_scan rejects characters above 255.
    Chars = case Text of
                _ when is_binary(Text) -> binary_to_list(Text);
                _ -> Text
            end,
    case core_scan:string(Chars) of
        {ok, Tokens, _} ->
            case core_parse:parse(Tokens) of
                {ok, Module} ->
                    Renamed = case Rename of
                                  rename -> rename(Module);
                                  keep -> Module
                              end,
                    case compile:forms(Renamed, [from_core, binary, return_errors, deterministic]) of
                        {ok, Name, Binary} -> {ok, Name, Binary};
                        {ok, Name, Binary, _Warnings} -> {ok, Name, Binary};
                        {error, Errors, _} -> {error, format_errors(Errors)}
                    end;
                {error, {Line, Mod, Message}} ->
                    {error, iolist_to_binary(io_lib:format("Core parse error, line ~p: ~ts",
                                                           [Line, Mod:format_error(Message)]))}
            end;
        {error, {Line, Mod, Message}, _} ->
            {error, iolist_to_binary(io_lib:format("Core scan error, line ~p: ~ts",
                                                   [Line, Mod:format_error(Message)]))}
    end.

format_errors(Errors) ->
    iolist_to_binary([io_lib:format("~ts: ~p; ", [File, Es]) || {File, Es} <- Errors]).

%% The module's name, where the generator writes it: the module header, the
%% `erlang:get_module_info(Name, ...)` calls of module_info, the `'$cur'(Name)` checks of an
%% actor's self-sends (`'bt@sel@<selector>':'$cur'`) and the `'$local Name'` /
%% `'$local class Name'` functions that exact variants' self-sends call in dispatch modules.
%% Any other atom is program data (a Symbol `#'bt@stmt'` in a statement keeps its name).
rename(Module) ->
    Old = cerl:atom_val(cerl:module_name(Module)),
    N = ets:update_counter(beamtalk_classes, module_counter, 1, {module_counter, 0}),
    New = binary_to_atom(<<(atom_to_binary(Old))/binary, "@", (integer_to_binary(N))/binary,
                           (node_tag())/binary>>),
    Body = cerl_trees:map(fun(Node) -> rename_module_info(Node, Old, New) end, Module),
    cerl:update_c_module(Body, cerl:c_atom(New), cerl:module_exports(Body),
                         cerl:module_attrs(Body), cerl:module_defs(Body)).

%% On a distributed node a module name also carries a tag of the node: a block sent to
%% another node is loaded there under its own module's name (beamtalk_node), which must not
%% be a name that node gave to one of its own modules (nor one of an earlier run of a node of
%% the same name: the tag covers the node's creation too).
node_tag() ->
    case node() of
        nonode@nohost -> <<>>;
        Node ->
            Tag = erlang:phash2({Node, erlang:system_info(creation)}, 1 bsl 32),
            <<"@", (integer_to_binary(Tag, 36))/binary>>
    end.

rename_module_info(Node, Old, New) ->
    case cerl:is_c_call(Node) andalso is_dispatch_call(Node) of
        true -> rename_local_call(Node, Old, New);
        false -> rename_module_arg(Node, Old, New)
    end.

rename_module_arg(Node, Old, New) ->
    case cerl:is_c_call(Node) andalso (is_module_info(Node) orelse is_current_check(Node)) of
        true ->
            case cerl:call_args(Node) of
                [Name | Rest] ->
                    case is_atom_node(Name, Old) of
                        true -> cerl:update_c_call(Node, cerl:call_module(Node),
                                                   cerl:call_name(Node),
                                                   [cerl:c_atom(New) | Rest]);
                        false -> Node
                    end;
                [] -> Node
            end;
        false -> Node
    end.

%% `'bt@sel@s':'$local Old'(...)` -> `'$local New'`, and the same with `class `.
rename_local_call(Node, Old, New) ->
    Name = cerl:call_name(Node),
    OldBin = atom_to_binary(Old),
    Side = case cerl:is_c_atom(Name) andalso atom_to_binary(cerl:atom_val(Name)) of
               <<"$local ", OldBin/binary>> -> instance;
               <<"$local class ", OldBin/binary>> -> class;
               _ -> none
           end,
    case Side of
        none -> rename_module_arg(Node, Old, New);
        _ -> cerl:update_c_call(Node, cerl:call_module(Node),
                                cerl:c_atom(beamtalk_dispatch_gen:local_name(Side, New)),
                                cerl:call_args(Node))
    end.

is_local_name(F) -> lists:prefix("$local ", atom_to_list(F)).

is_atom_node(Node, Atom) -> cerl:is_c_atom(Node) andalso cerl:atom_val(Node) =:= Atom.

is_module_info(Call) ->
    is_atom_node(cerl:call_module(Call), erlang)
        andalso is_atom_node(cerl:call_name(Call), get_module_info).

is_dispatch_call(Call) ->
    Module = cerl:call_module(Call),
    cerl:is_c_atom(Module) andalso lists:prefix("bt@sel@", atom_to_list(cerl:atom_val(Module))).

is_current_check(Call) ->
    is_atom_node(cerl:call_name(Call), '$cur') andalso is_dispatch_call(Call).

-spec load_core(binary() | string()) -> {ok, atom()} | {error, binary()}.
%% @doc Compile (renamed) and load a Core text, its dispatch modules created first.
load_core(Text) -> load_core(Text, rename).

-spec load_core(binary() | string(), rename | keep) -> {ok, atom()} | {error, binary()}.
load_core(Text, Rename) ->
    case compile_core(Text, Rename) of
        {ok, Name, Binary} ->
            ensure_imports(Binary),
            _ = code:soft_purge(Name),
            case code:load_binary(Name, atom_to_list(Name), Binary) of
                {module, Name} ->
                    ok = beamtalk_node:remember(Name, Text, Binary),  % sent on to other nodes
                    {ok, Name};
                {error, Reason} ->
                    {error, iolist_to_binary(io_lib:format("cannot load ~p: ~p", [Name, Reason]))}
            end;
        Error -> Error
    end.

-spec load_binary(atom(), binary()) -> ok | {error, binary()}.
%% @doc Load a module's object code sent by another node, under its own name, its dispatch
%% modules created first.
load_binary(Name, Binary) ->
    ensure_imports(Binary),
    case code:load_binary(Name, atom_to_list(Name), Binary) of
        {module, Name} -> ok;
        {error, Reason} ->
            {error, iolist_to_binary(io_lib:format("cannot load ~p: ~p", [Name, Reason]))}
    end.

%% A module that sends a selector no class defines still loads and runs (DNU).
ensure_imports(Binary) ->
    {ok, {_, [{imports, Imports}]}} = beam_lib:chunks(Binary, [imports]),
    Selectors = lists:usort([binary_to_atom(Sel) || {M, F, _} <- Imports,
                             F =:= send orelse F =:= await orelse is_local_name(F),
                             <<"bt@sel@", Sel/binary>> <- [atom_to_binary(M)]]),
    beamtalk_classes:ensure_selectors(Selectors).

-spec ensure_module_imports(atom()) -> ok.
%% @doc For a module on the code path (a batch build): create the dispatch modules it imports.
ensure_module_imports(Module) ->
    case code:get_object_code(Module) of
        {Module, Binary, _} -> ensure_imports(Binary);
        error -> ok
    end.

-spec load_class(binary() | string()) -> {ok, tuple()} | {error, binary()}.
%% @doc Load and register a class module; answers the class.
load_class(Text) ->
    case load_core(Text) of
        {ok, Module} -> {ok, beamtalk_classes:register(Module)};
        Error -> Error
    end.

-spec load_method(binary() | string()) -> {ok, tuple()} | {error, binary()}.
%% @doc Load and register a `>>` method module; answers the CompiledMethod.
load_method(Text) ->
    case load_core(Text) of
        {ok, Module} -> {ok, beamtalk_classes:add_method(Module)};
        Error -> Error
    end.

-spec load_statement(binary() | string()) -> {ok, atom()} | {error, binary()}.
%% @doc Load a statement module (call its run/1 next).
load_statement(Text) -> load_core(Text).
