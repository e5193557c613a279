%% Nodes (LANGUAGE.md 3.8): this node's name, connecting, spawning an actor on another node
%% with the class's code sent there first, and what a send to an actor of a node that went
%% away does.  Distribution itself (a node name, loopback only, the cookie) is set up by
%% whoever starts the node (bootstrap/beam_node.py); without it this node is `nonode@nohost`,
%% connects to nothing, and spawns only here.
%%
%% Code shipping: every class or `>>` module loaded from Core text (beamtalk_loader) has its
%% text kept in the registry's table (`{{core_text, Module}, Text}`).  A class's *bundle* is
%% the texts of the user classes of its chain (superclass first) and of the `>>` methods now
%% in effect on its chain; two nodes agree on a class when their bundles have the same digest.
%% `spawnOn:` another node asks it for its digest of the class and, when it differs (the node
%% lacks the class or has another version), sends the bundle, which that node loads as it
%% loads any class (renamed modules, registered, dispatch regenerated there).  Then the node
%% spawns the actor itself (`spawn`/`spawnWith:` sent to the class there, so `initialize` and
%% a Supervisor's own spawning run there) and answers the ordinary reference.
-module(beamtalk_node).
-export([start_distribution/0, this_node/0, other_nodes/0, connect/2, spawn_on/3, reconnect/1, is_alive/1,
         remember/2, bundle/1, digest/1]).
%% Called on the other node by erpc.
-export([has_code/2, install/1, spawn_here/2]).

-define(TAB, beamtalk_classes).  % the registry's table (public): texts live beside the classes

%% ---------------------------------------------------------------- start-up

-spec start_distribution() -> ok.
%% @doc At the runner's start: a distributed node (`erl -name`, bootstrap/beam_node.py) takes
%% its cookie from `BEAMTALK_COOKIE` when set (read from the environment, so it never shows
%% in the process list), else keeps the one Erlang read from `~/.erlang.cookie`.
start_distribution() ->
    case {node(), os:getenv("BEAMTALK_COOKIE")} of
        {nonode@nohost, _} -> ok;
        {_, false} -> ok;
        {_, ""} -> ok;
        {_, Cookie} -> true = erlang:set_cookie(list_to_atom(Cookie)), ok
    end.

%% ---------------------------------------------------------------- System

-spec this_node() -> atom().
%% @doc `System node`.
this_node() -> node().

-spec other_nodes() -> [atom()].
%% @doc `System nodes`: the other connected nodes, sorted (hidden ones are not listed).
other_nodes() -> lists:sort(nodes()).

-spec connect(atom(), term()) -> boolean().
%% @doc `System connect:`: true when the node answers; never with distribution off.
connect(Selector, NodeName) ->
    Node = node_name(Selector, NodeName),
    answers(Node).

%% Without distribution nothing answers, not even this node's own name (as on the
%% interpreter, LANGUAGE.md 8); with it, net_kernel answers true for this node too.
answers(_) when node() =:= nonode@nohost -> false;
answers(Node) -> net_kernel:connect_node(Node) =:= true.

%% A node name is a Symbol or a String.
node_name(_, Name) when is_atom(Name), Name =/= nil, Name =/= true, Name =/= false -> Name;
node_name(_, Name) when is_binary(Name) ->
    try binary_to_atom(Name)
    catch error:system_limit -> beamtalk_error:raise(symbol_too_long, #{})
    end;
node_name(Selector, {'$future', _, _} = F) -> node_name(Selector, beamtalk_future:value(F));
node_name(Selector, Other) ->
    beamtalk_error:raise(expects_string_or_symbol,
                         #{selector => Selector, kind => beamtalk_value:kind_name(Other)}).

%% ---------------------------------------------------------------- spawning

-spec spawn_on(tuple(), term(), none | term()) -> tuple().
%% @doc `Cls spawnOn: node` (Fields none) and `spawnOn:with:`: on this node the class's own
%% `spawn`/`spawnWith:`; on another, the same there after its code is made current.
spawn_on({'$class', Class} = Cls, NodeName, Fields) ->
    Selector = case Fields of
                   none -> 'spawnOn:';
                   _ -> 'spawnOn:with:'
               end,
    Node = node_name(Selector, NodeName),
    Given = beamtalk_future:value(Fields),  % none stays none
    case Node =:= node() of
        true -> spawn_here(Cls, Given);
        false ->
            ok = reconnect(Node),
            Bundle = bundle(Class),
            case remote(Node, has_code, [Class, digest(Bundle)]) of
                true -> ok;
                false -> ok = remote(Node, install, [Bundle])
            end,
            remote(Node, spawn_here, [Cls, Given])
    end.

-spec spawn_here(tuple(), none | term()) -> tuple().
%% @doc Spawn an actor of the class on this node, as `spawn` or `spawnWith:` would.
spawn_here(Cls, none) -> beamtalk_dispatch:send(Cls, spawn, []);
spawn_here(Cls, Given) -> beamtalk_dispatch:send(Cls, 'spawnWith:', [Given]).

%% A call run on the other node: its Beamtalk errors are raised here as they were there;
%% a node that goes away meanwhile is NodeDown.
remote(Node, Function, Args) ->
    try erpc:call(Node, ?MODULE, Function, Args, infinity)
    catch
        error:{exception, Reason, _} -> erlang:error(Reason);  % its stack is the other node's
        error:{erpc, _} -> node_down(Node)
    end.

node_down(Node) -> beamtalk_error:raise(node_down, #{node => Node}).

%% ---------------------------------------------------------------- sends and references

-spec reconnect(atom()) -> ok.
%% @doc Before a send to an actor of another node: ok while connected, else connect, or
%% signal NodeDown (its node went away).
reconnect(Node) ->
    case lists:member(Node, nodes()) orelse answers(Node) of
        true -> ok;
        false -> node_down(Node)
    end.

-spec is_alive(pid()) -> boolean().
%% @doc `isAlive` of an actor on another node (asked there; false when it does not answer).
is_alive(Pid) ->
    try erpc:call(node(Pid), erlang, is_process_alive, [Pid], 5000)
    catch _:_ -> false
    end.

%% ---------------------------------------------------------------- code

-spec remember(module(), binary() | string()) -> ok.
%% @doc Keep the Core text a class or `>>` module was loaded from (beamtalk_loader).
remember(Module, Text) ->
    Shipped = erlang:function_exported(Module, '$class_info', 0)
        orelse erlang:function_exported(Module, '$method_info', 0),
    case Shipped andalso ets:whereis(?TAB) =/= undefined of
        true -> ets:insert(?TAB, {{core_text, Module}, iolist_to_binary(Text)}), ok;
        false -> ok
    end.

-spec bundle(atom()) -> [{class | method, binary()}].
%% @doc The texts that define a class here: the user classes it needs (its chain, and the
%% classes its code names, e.g. a Supervisor's children, each with its chain; superclasses
%% first), then the `>>` methods in effect on them (by class, side and selector), then the
%% selectors each of them has on each side (so a `removeSelector:` made here is made there
%% too).  Stdlib classes are on every node; modules loaded without text (batch builds) are
%% not included.
bundle(Class) ->
    Needed = needed([Class], []),
    Classes = [{class, T} || C <- Needed, not stdlib(C),
                             #{module := M} <- [beamtalk_classes:info(C)], T <- text(M)],
    Methods = [{method, T} || C <- Needed, {_, M} <- added_methods(C), T <- text(M)],
    Selectors = [{selectors, C, Side, selectors(C, Side)}
                 || C <- Needed, not stdlib(C), Side <- [instance, class]],
    Classes ++ Methods ++ Selectors.

selectors(Class, Side) -> lists:sort(maps:keys(beamtalk_classes:own_methods(Class, Side))).

%% The classes to send, superclasses before subclasses, each once.
needed([], Done) -> lists:reverse(Done);
needed([C | Rest], Done) ->
    case lists:member(C, Done) of
        true -> needed(Rest, Done);
        false ->
            Chain = lists:reverse(beamtalk_classes:lookup_chain(C)),
            New = [X || X <- Chain, not lists:member(X, Done)],
            Done2 = lists:reverse(New) ++ Done,
            needed(lists:append([referenced(X) || X <- New]) ++ Rest, Done2)
    end.

%% The `>>` methods in effect on a class (their modules differ from the class module).
added_methods(C) ->
    case beamtalk_classes:info(C) of
        #{module := ClassModule} ->
            [{{Side, Sel}, M} || Side <- [instance, class],
                                 {Sel, #{module := M}} <- lists:sort(maps:to_list(
                                                           beamtalk_classes:own_methods(C, Side))),
                                 M =/= ClassModule];
        _ -> []
    end.

%% The user classes a class's code names (`call 'beamtalk_classes':'global'('Name')` in its
%% Core text and its `>>` methods' texts).
referenced(C) ->
    case stdlib(C) orelse beamtalk_classes:info(C) of
        true -> [];
        #{module := M} ->
            Texts = text(M) ++ [T || {_, Mod} <- added_methods(C), T <- text(Mod)],
            lists:usort([N || T <- Texts, N <- globals(T), N =/= C,
                              beamtalk_classes:exists(N), not stdlib(N)]);
        _ -> []
    end.

globals(Text) ->
    case core_scan:string(binary_to_list(Text)) of
        {ok, Tokens, _} -> global_names(Tokens);
        _ -> []
    end.

global_names([{atom, _, beamtalk_classes}, {':', _}, {atom, _, global}, {'(', _},
              {atom, _, Name}, {')', _} | Rest]) -> [Name | global_names(Rest)];
global_names([_ | Rest]) -> global_names(Rest);
global_names([]) -> [].

stdlib(Class) -> lists:keymember(Class, 1, beamtalk_stdlib_classes:classes()).

text(Module) ->
    case ets:lookup(?TAB, {core_text, Module}) of
        [{_, Text}] -> [Text];
        [] -> []
    end.

-spec digest([{class | method, binary()}]) -> binary().
%% @doc What two nodes compare to tell whether they have the same code for a class.
digest(Bundle) -> erlang:md5(term_to_binary(Bundle)).

-spec has_code(atom(), binary()) -> boolean().
%% @doc Whether this node's bundle of the class has that digest.
has_code(Class, Digest) -> digest(bundle(Class)) =:= Digest.

-spec install([{class | method, binary()}]) -> ok.
%% @doc Load a bundle sent by another node: the classes registered together, then the
%% methods in order (a class already here is redefined, as a reloaded file would), then the
%% methods the other node no longer has are removed here.
install(Bundle) ->
    Classes = [load(T) || {class, T} <- Bundle],
    _ = case Classes of
            [] -> [];
            _ -> beamtalk_classes:register_many(Classes)
        end,
    lists:foreach(fun(T) -> beamtalk_classes:add_method(load(T)) end,
                  [T || {method, T} <- Bundle]),
    _ = [beamtalk_classes:remove_method(C, Side, S)
         || {selectors, C, Side, Keep} <- Bundle, S <- selectors(C, Side),
            not lists:member(S, Keep)],
    ok.

load(Text) ->
    case beamtalk_loader:load_core(Text) of
        {ok, Module} -> Module;
        {error, Detail} -> beamtalk_error:raise(internal_error, #{detail => Detail})
    end.
