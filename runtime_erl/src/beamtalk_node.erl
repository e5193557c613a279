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
%%
%% A message to an actor of another node, and an actor's answer to a caller of another node,
%% take along the code their values need there (outgoing/2, answering/2): the user classes
%% they name (as bundles) and the modules of their blocks (object code, loaded there under
%% the same name), each sent once per connection.  A class named only at run time
%% (`Beamtalk classNamed:`) that a node lacks is asked of the nodes that sent it code
%% (fetch_class/1).  runtime_erl/README.md, "Nodes", has the details.
-module(beamtalk_node).
-export([start_distribution/0, this_node/0, other_nodes/0, connect/2, spawn_on/3, reconnect/1, is_alive/1,
         remember/3, bundle/1, digest/1, outgoing/2, answering/2, fetch_class/1]).
%% Called on the other node by erpc.
-export([has_code/2, install/1, spawn_here/2, receive_code/3, offer/1]).

-define(TAB, beamtalk_classes).  % the registry's table (public): texts live beside the classes
-define(ASK_MS, 5000).  % how long a node asked for a class it sent code from may take

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
            ok = make_current(Node, [Class], []),
            ok = ship(Node, Given),  % the fields given may hold blocks, instances, classes
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

-spec remember(module(), binary() | string(), binary()) -> ok.
%% @doc Keep what a module loaded from Core text (beamtalk_loader) is made of: the text of a
%% class or `>>` module (spawnOn: and sends ship classes as text, loaded under the other
%% node's names), and, on a distributed node, every module's object code (a block sent to
%% another node is a fun of that very module, which must be loaded there under its name).
remember(Module, Text, Binary) ->
    case ets:whereis(?TAB) of
        undefined -> ok;
        _ ->
            Shipped = erlang:function_exported(Module, '$class_info', 0)
                orelse erlang:function_exported(Module, '$method_info', 0),
            _ = Shipped andalso ets:insert(?TAB, {{core_text, Module}, iolist_to_binary(Text)}),
            _ = node() =/= nonode@nohost andalso ets:insert(?TAB, {{beam, Module}, Binary}),
            ok
    end.

-spec bundle(atom() | [atom()]) -> [{class | method, binary()}].
%% @doc The texts that define a class (or several) here: the user classes it needs (its chain,
%% and the classes its code names, e.g. a Supervisor's children, each with its chain;
%% superclasses first), then the `>>` methods in effect on them (by class, side and selector),
%% then the selectors each of them has on each side (so a `removeSelector:` made here is made
%% there too).  Stdlib classes are on every node; modules loaded without text (batch builds)
%% are not included.
bundle(Class) when is_atom(Class) -> bundle([Class]);
bundle(Wanted) ->
    Needed = needed(Wanted, []),
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

-spec has_code(atom() | [atom()], binary()) -> boolean().
%% @doc Whether this node's bundle of the class (or classes) has that digest.
has_code(Classes, Digest) -> digest(bundle(Classes)) =:= Digest.

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

%% ---------------------------------------------------------------- what a message needs

-spec outgoing(atom(), [term()]) -> [term()].
%% @doc The arguments of a message to an actor of another node, ready to leave: the node
%% reachable (else NodeDown), the futures among them awaited, and the code they need made
%% current there (beamtalk_actor:send/4 calls this only when `node(Pid) =/= node()`).
outgoing(Node, Args0) ->
    ok = reconnect(Node),
    Args = beamtalk_future:values(Args0),
    ok = ship(Node, Args),
    Args.

-spec answering(atom(), term()) -> ok.
%% @doc Before an actor answers a caller of another node (beamtalk_actor): the code the
%% answer needs (a block it answers, a class) made current there.  It never fails: an answer
%% that cannot take its code along is still given (a block of it then fails there).
answering(Node, _) when Node =:= node() -> ok;
answering(Node, Reply) ->
    try ship(Node, Reply)
    catch _:_ -> ok
    end.

%% The user classes the arguments name (classes, metaclasses, value instances, exceptions)
%% and the modules of the blocks among them (with what those blocks captured), made current
%% on Node unless already sent over this connection: a class at this node's present class
%% generation, a module once (its code never changes; a new version is another module).
ship(Node, Args) ->
    case wanted(Args, {#{}, #{}}) of
        {Cs, Ms} when map_size(Cs) =:= 0, map_size(Ms) =:= 0 -> ok;  % plain data: nothing
        {Cs, Ms} ->
            Conn = connection(Node),
            Gen = beamtalk_actor:generation(),
            Blocks = lists:sort(maps:keys(Ms)),
            Modules = [M || M <- Blocks, not sent(Node, {module, M}, Conn)],
            %% every time, not only with the module: a class it names may have changed since
            Named = lists:append([module_classes(M) || M <- Blocks]),
            Classes = [C || C <- lists:usort(maps:keys(Cs) ++ Named),
                            not sent(Node, {class, C}, {Conn, Gen})],
            ok = make_current(Node, Classes, Modules),
            _ = [ets:insert(?TAB, {{sent, Node, {module, M}}, Conn}) || M <- Modules],
            _ = [ets:insert(?TAB, {{sent, Node, {class, C}}, {Conn, Gen}}) || C <- Classes],
            ok
    end.

sent(Node, What, Key) -> ets:lookup(?TAB, {sent, Node, What}) =:= [{{sent, Node, What}, Key}].

%% This node's present connection to Node (a reconnection after the node restarted is
%% another, so what was sent over the old one is sent again).
connection(Node) ->
    case lists:keyfind(Node, 1, erlang:nodes(connected, #{connection_id => true})) of
        {_, #{connection_id := Id}} -> Id;
        false -> none
    end.

%% Make Node's code for these classes (and what they need) this node's, asking it first
%% whether it has it already, and load the modules there (under their own names).
make_current(_, [], []) -> ok;
make_current(Node, Classes, Modules) ->
    Bundle = case Classes of
                 [] -> [];
                 _ ->
                     Here = bundle(Classes),
                     case remote(Node, has_code, [Classes, digest(Here)]) of
                         true -> [];
                         false -> Here
                     end
             end,
    case {Bundle, Modules} of
        {[], []} -> ok;
        _ -> remote(Node, receive_code, [node(), Bundle, [{M, beam(M)} || M <- Modules]])
    end.

%% The user classes and block modules a term refers to (Acc: two maps used as sets).
wanted({'$class', C}, Acc) -> class(C, Acc);
wanted({'$metaclass', C}, Acc) -> class(C, Acc);
wanted({'$inst', C, Fields}, Acc) -> wanted(Fields, class(C, Acc));
wanted({'$exc', C, Fields}, Acc) -> wanted(Fields, class(C, Acc));
wanted({'$actor', _, _, _}, Acc) -> Acc;  % a reference: its class is its node's business
wanted(F, {Cs, Ms} = Acc) when is_function(F) ->
    case erlang:fun_info(F, module) of
        {module, M} ->
            Acc2 = case ets:member(?TAB, {beam, M}) of
                       true -> {Cs, Ms#{M => true}};
                       false -> Acc  % a runtime or stdlib module: on every node
                   end,
            case erlang:fun_info(F, env) of
                {env, Captured} -> wanted(Captured, Acc2);
                _ -> Acc2
            end
    end;
wanted([H | T], Acc) -> wanted(T, wanted(H, Acc));
wanted(T, Acc) when is_tuple(T) -> wanted(tuple_to_list(T), Acc);
wanted(M, Acc) when is_map(M) -> wanted(maps:to_list(M), Acc);
wanted(_, Acc) -> Acc.

class(C, {Cs, Ms} = Acc) ->
    case is_map_key(C, Cs) orelse stdlib(C) orelse not beamtalk_classes:exists(C) of
        true -> Acc;
        false -> {Cs#{C => true}, Ms}
    end.

%% The user classes a module's code may name: the atoms of its object code that are names of
%% user classes here now (a Symbol spelled like a class only sends that class along too).
%% The candidates (capitalized atoms other than stdlib class names) are read once per module.
module_classes(M) ->
    Candidates = case ets:lookup(?TAB, {class_atoms, M}) of
                     [{_, Found}] -> Found;
                     [] ->
                         Found = capitalized_atoms(beam(M)),
                         ets:insert(?TAB, {{class_atoms, M}, Found}),
                         Found
                 end,
    [A || A <- Candidates, beamtalk_classes:exists(A)].

capitalized_atoms(Binary) ->
    case beam_lib:chunks(Binary, [atoms]) of
        {ok, {_, [{atoms, Atoms}]}} ->
            lists:usort([A || {_, A} <- Atoms, capitalized(atom_to_binary(A)), not stdlib(A)]);
        _ -> []
    end.

capitalized(<<C, _/binary>>) -> C >= $A andalso C =< $Z;
capitalized(_) -> false.

beam(M) -> ets:lookup_element(?TAB, {beam, M}, 2).

-spec receive_code(atom(), [tuple()], [{module(), binary()}]) -> ok.
%% @doc Code sent by the node From: the bundle installed (install/1), then the modules loaded
%% under their own names (a block's fun names its module).  From is remembered: a class
%% this node lacks is asked of the nodes code came from (fetch_class/1).
receive_code(From, Bundle, Modules) ->
    ets:insert(?TAB, {{code_from, From}, true}),
    _ = Bundle =/= [] andalso install(Bundle),
    lists:foreach(fun({M, Binary}) -> load_sent(M, Binary) end, Modules).

load_sent(M, Binary) ->
    {ok, {M, Md5}} = beam_lib:md5(Binary),
    case code:is_loaded(M) =/= false andalso M:module_info(md5) of
        false ->
            case beamtalk_loader:load_binary(M, Binary) of
                ok -> ets:insert(?TAB, {{beam, M}, Binary}), ok;
                {error, Detail} -> beamtalk_error:raise(internal_error, #{detail => Detail})
            end;
        Md5 -> ok;  % sent before (over an earlier connection)
        _ ->  % module names carry their node's tag (beamtalk_loader), so this is a bug
            beamtalk_error:raise(internal_error,
                                 #{detail => iolist_to_binary(io_lib:format(
                                                "another module ~p is loaded here", [M]))})
    end.

%% ---------------------------------------------------------------- classes named at run time

-spec fetch_class(atom()) -> boolean().
%% @doc A class this node lacks, asked of the nodes that sent code here (sorted; those still
%% connected): the first that has it sends it (with what it needs).  `Beamtalk classNamed:`
%% calls this on a miss, so a class shipped here that names a class only through a computed
%% name finds it (LANGUAGE.md 3.8).  False when none has it, or none answers.
fetch_class(_) when node() =:= nonode@nohost -> false;
fetch_class(Class) ->
    Origins = lists:sort([N || [N] <- ets:match(?TAB, {{code_from, '$1'}, '_'})]),
    Connected = nodes(),
    fetch_from([N || N <- Origins, lists:member(N, Connected)], Class).

fetch_from([], _) -> false;
fetch_from([Node | Rest], Class) ->
    try erpc:call(Node, ?MODULE, offer, [Class], ?ASK_MS) of
        [] -> fetch_from(Rest, Class);
        Bundle ->
            receive_code(Node, Bundle, []),
            beamtalk_classes:exists(Class) orelse fetch_from(Rest, Class)
    catch _:_ -> fetch_from(Rest, Class)  % it went away, or took too long: the next one
    end.

-spec offer(atom()) -> [tuple()].
%% @doc The bundle of a user class of this node, for a node that lacks it ([] when there is
%% no such user class here).
offer(Class) ->
    case not stdlib(Class) andalso beamtalk_classes:exists(Class) of
        true -> bundle(Class);
        false -> []
    end.
