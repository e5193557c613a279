%% The class registry: every class's current definition (superclass, fields, class state,
%% method tables), workspace globals and class variables, in one ETS table owned by this
%% server (docs/native-backend.md).  Reads go straight to the table; definitions go through
%% the server so that dispatch modules are regenerated one registration at a time.
%%
%% Table rows:
%%   {{class, Name}, ClassMap}       the current definition (see class_map/3)
%%   {{cvar, Class, Var}, Value}     class state (survives redefinition)
%%   {{global, Name}, Value}         workspace globals (`Beamtalk at:put:`)
%%   {{sel, Selector}, true}         selectors that have a dispatch module
%%   {base, Rows}                    the rows `reset/0` goes back to (mark_base/0)
-module(beamtalk_classes).
-behaviour(gen_server).
-export([start_link/0, ensure_started/0, lookup_chain/1, register/1, register_many/1, add_method/1,
         remove_method/3, ensure_selectors/1, global/1, set_global/2, global_value/1,
         class_var/2, set_class_var/3, info/1, exists/1, superclass/1, kind/1,
         all_classes/0, subclasses/1, inherits_from/2, all_fields/1, own_methods/2,
         lookup/3, entry_at/4, mark_base/0, reset/0, known_selectors/0, selector_arity/1,
         field_plan/1, modifier/1, cached/2]).
-export([init/1, handle_call/3, handle_cast/2]).

-define(TAB, ?MODULE).
-define(GENERIC, ['Object', 'Class', 'Metaclass']).
-define(SNAPSHOT, '$bt_class_snapshot').
-define(LAYOUTS, '$bt_class_layouts').  % cached/2

%% ---------------------------------------------------------------- starting

start_link() -> gen_server:start_link({local, ?MODULE}, ?MODULE, [], []).

-spec ensure_started() -> ok.
%% @doc Start the runtime application unless it runs (tests, the runner).
ensure_started() ->
    {ok, _} = application:ensure_all_started(beamtalk_runtime),
    ok.

init([]) ->
    put(?LAYOUTS, off),  % the registry itself changes classes: it never caches (cached/2)
    ets:new(?TAB, [named_table, public, set, {read_concurrency, true}]),
    ok = beamtalk_actor:init_tables(),  % the actors' wait table lives as long as this server
    seed(),
    {ok, #{}}.

seed() ->
    %% Skeletons of the stdlib classes (name, superclass, modifier), so the hierarchy is
    %% known before the stdlib's class modules are registered.
    [ets:insert(?TAB, {{class, Name}, skeleton(Name, Super, Modifier)})
     || {Name, Super, Modifier} <- beamtalk_stdlib_classes:classes()],
    ok.

skeleton(Name, Super, Modifier) ->
    #{name => Name, superclass => Super, kind => undefined, modifier => Modifier, doc => nil,
      fields => [], defaults => [], class_vars => [], class_var_defaults => [],
      module => none, methods => #{}, class_methods => #{}}.

%% ---------------------------------------------------------------- defining

-spec register(module()) -> tuple().
%% @doc Register a loaded class module; answers the class object.
register(Module) -> [Class] = register_many([Module]), Class.

-spec register_many([module()]) -> [tuple()].
%% @doc Register several class modules, regenerating each affected selector once.
register_many(Modules) ->
    Infos = [Module:'$class_info'() || Module <- Modules],
    checked(gen_server:call(?MODULE, {register, lists:zip(Modules, Infos)}, infinity)),
    %% Class state defaults run here, in the caller, not in the server: a default may
    %% send messages.  A variable that already has a value keeps it (redefinition).
    lists:foreach(fun({Module, Info}) -> init_class_vars(Module, Info) end,
                  lists:zip(Modules, Infos)),
    [beamtalk_value:class(maps:get(name, Info)) || Info <- Infos].

init_class_vars(Module, #{name := Name} = Info) ->
    Defaults = maps:get(class_var_defaults, Info, []),
    lists:foreach(
      fun(Var) ->
              case ets:member(?TAB, {cvar, Name, Var}) of
                  true -> ok;
                  false ->
                      Value = case lists:member(Var, Defaults) of
                                  true -> Module:'$class_default'(Var);
                                  false -> nil
                              end,
                      ets:insert_new(?TAB, {{cvar, Name, Var}, Value})
              end
      end, maps:get(class_vars, Info, [])).

-spec add_method(module()) -> tuple().
%% @doc Register a loaded `>>` method module; answers the CompiledMethod.
add_method(Module) ->
    #{class := Class, side := Side, info := Info} = Module:'$method_info'(),
    %% `Foo >> bar => ...` with no class Foo: UndefinedGlobal, as on the interpreter
    exists(Class) orelse beamtalk_error:raise(undefined_global, #{name => Class}),
    checked(gen_server:call(?MODULE, {add_method, Module, Class, Side, Info}, infinity)),
    beamtalk_reflect:compiled_method(Class, Side, maps:get(selector, Info)).

-spec remove_method(atom(), instance | class, atom()) -> boolean().
%% @doc Remove a method from a class (removeSelector:); answers whether it was there.
remove_method(Class, Side, Selector) ->
    gen_server:call(?MODULE, {remove_method, Class, Side, Selector}, infinity).

-spec ensure_selectors([atom()]) -> ok.
%% @doc Make sure these selectors have dispatch modules (DNU-only when nothing defines them).
ensure_selectors(Selectors) ->
    case [S || S <- Selectors, not ets:member(?TAB, {sel, S})] of
        [] -> ok;
        Missing -> checked(gen_server:call(?MODULE, {ensure_selectors, Missing}, infinity))
    end.

-spec mark_base() -> ok.
%% @doc Remember the current classes, class state and globals as what reset/0 restores.
mark_base() -> gen_server:call(?MODULE, mark_base, infinity).

-spec reset() -> ok.
%% @doc Drop user classes, `>>` additions, class state changes and globals since mark_base/0.
reset() -> checked(gen_server:call(?MODULE, reset, infinity)).

%% A dispatch module that failed to compile is an internal error of the caller's request.
checked(ok) -> ok;
checked({error, Detail}) -> beamtalk_error:raise(internal_error, #{detail => Detail}).

handle_call({register, Pairs}, _From, State) ->
    Affected = lists:foldl(fun({Module, Info}, Acc) -> store_class(Module, Info) ++ Acc end,
                           [], Pairs),
    Reply = regenerate(Affected),
    beamtalk_actor:bump_generation(),  % running actors migrate their fields at their next message
    {reply, Reply, State};
handle_call({add_method, Module, Class, Side, Info}, _From, State) ->
    Existing = case info(Class) of
                   undefined -> skeleton(Class, 'Object', none);
                   Found -> Found
               end,
    Key = side_key(Side),
    Entry = entry(Module, Class, Side, Info),
    Updated = Existing#{Key => maps:put(maps:get(selector, Info), Entry, maps:get(Key, Existing))},
    remember(Class, Existing, Updated),
    ets:insert(?TAB, {{class, Class}, Updated}),
    %% One method changes the resolution of its own selector only.
    Reply = regenerate([maps:get(selector, Info)]),
    beamtalk_actor:bump_generation(),
    {reply, Reply, State};
handle_call({remove_method, Class, Side, Selector}, _From, State) ->
    Key = side_key(Side),
    case info(Class) of
        #{Key := #{Selector := _} = Methods} = Found ->
            Updated = Found#{Key => maps:remove(Selector, Methods)},
            remember(Class, Found, Updated),
            ets:insert(?TAB, {{class, Class}, Updated}),
            regenerate([Selector]),
            beamtalk_actor:bump_generation(),
            {reply, true, State};
        _ -> {reply, false, State}
    end;
handle_call({ensure_selectors, Selectors}, _From, State) ->
    {reply, regenerate([S || S <- Selectors, not ets:member(?TAB, {sel, S})]), State};
handle_call(mark_base, _From, State) ->
    Rows = [Row || {Key, _} = Row <- ets:tab2list(?TAB), is_tuple(Key),
                   lists:member(element(1, Key), [class, cvar, global])],
    ets:insert(?TAB, {base, Rows}),
    {reply, ok, State};
handle_call(reset, _From, State) ->
    Base = case ets:lookup(?TAB, base) of
               [{base, Rows}] -> Rows;
               [] -> []
           end,
    Before = classes_now(),
    ets:match_delete(?TAB, {{class, '_'}, '_'}),
    ets:match_delete(?TAB, {{cvar, '_', '_'}, '_'}),
    ets:match_delete(?TAB, {{global, '_'}, '_'}),
    ets:match_delete(?TAB, {{hist, '_', '_', '_'}, '_'}),
    ets:insert(?TAB, Base),
    case Base of
        [] -> seed();  % no base marked: back to the skeletons
        _ -> ok
    end,
    Reply = regenerate(changed_selectors(Before, classes_now())),
    beamtalk_actor:bump_generation(),  % cached/2 results are stale
    {reply, Reply, State}.

classes_now() -> maps:from_list([{N, C} || {{class, N}, C}
                                              <- ets:match_object(?TAB, {{class, '_'}, '_'})]).

%% The selectors whose dispatch differs between two registry states: a class whose methods
%% alone changed touches those selectors; one added, removed or reshaped touches every
%% selector of its chain (computed in the state where it exists).
changed_selectors(Before, After) ->
    Names = lists:usort(maps:keys(Before) ++ maps:keys(After)),
    lists:append([changed(N, maps:get(N, Before, undefined), maps:get(N, After, undefined),
                          Before, After) || N <- Names]).

changed(_, Same, Same, _, _) -> [];
changed(Name, Old, New, Before, After) ->
    Shape = fun(C) -> maps:without([methods, class_methods, module, doc], C) end,
    case Old =/= undefined andalso New =/= undefined andalso Shape(Old) =:= Shape(New) of
        true -> diff_keys(maps:get(methods, Old), maps:get(methods, New))
                    ++ diff_keys(maps:get(class_methods, Old), maps:get(class_methods, New));
        false -> in_state(Before, Name) ++ in_state(After, Name)
    end.

diff_keys(A, B) ->
    [K || K <- lists:usort(maps:keys(A) ++ maps:keys(B)),
          maps:find(K, A) =/= maps:find(K, B)].

%% affected/2 as it is in a given registry state (read through the snapshot).
in_state(Classes, Name) ->
    case maps:is_key(Name, Classes) of
        false -> [];
        true ->
            Saved = get(?SNAPSHOT),
            put(?SNAPSHOT, Classes),
            try affected(Name, [])
            after
                case Saved of
                    undefined -> erase(?SNAPSHOT);
                    _ -> put(?SNAPSHOT, Saved)
                end
            end
    end.

handle_cast(_Msg, State) -> {noreply, State}.

%% A message already running finishes on the methods it started with (LANGUAGE.md 6): for
%% every method entry a change replaces or removes, remember what it was up to the current
%% generation, `{{hist, Class, Side, Selector}, [{Generation, Entry | none}]}` newest first
%% (a bounded number per method), for beamtalk_actor's self-sends after a change.
-define(HISTORY, 32).
remember(Class, Old, New) ->
    Gen = beamtalk_actor:generation(),
    lists:foreach(
      fun(Side) ->
              Key = side_key(Side),
              OldM = maps:get(Key, Old, #{}),
              NewM = maps:get(Key, New, #{}),
              lists:foreach(
                fun(Sel) ->
                        Before = maps:get(Sel, OldM, none),
                        case Before =:= maps:get(Sel, NewM, none) of
                            true -> ok;
                            false ->
                                HKey = {hist, Class, Side, Sel},
                                Past = case ets:lookup(?TAB, HKey) of
                                           [{_, L}] -> L;
                                           [] -> []
                                       end,
                                ets:insert(?TAB, {HKey, lists:sublist([{Gen, Before} | Past],
                                                                      ?HISTORY)})
                        end
                end, lists:usort(maps:keys(OldM) ++ maps:keys(NewM)))
      end, [instance, class]).

-spec entry_at(atom(), instance | class, atom(), integer()) -> map() | none.
%% @doc The method entry a class had for a selector at a generation (history, else now).
entry_at(Class, Side, Selector, Gen) ->
    Past = case ets:lookup(?TAB, {hist, Class, Side, Selector}) of
               [{_, L}] -> [E || {G, E} <- L, G >= Gen];
               [] -> []
           end,
    case Past of
        [] -> maps:get(Selector, own_methods(Class, Side), none);
        _ -> lists:last(Past)  % the oldest change after Gen: what was there at Gen
    end.

side_key(instance) -> methods;
side_key(class) -> class_methods.

%% Store one class definition; answers the selectors whose dispatch may have changed.
store_class(Module, #{name := Name} = Info) ->
    Old = info(Name),
    Methods = maps:from_list([{maps:get(selector, M), entry(Module, Name, instance, M)}
                              || M <- maps:get(methods, Info, [])]),
    ClassMethods = maps:from_list([{maps:get(selector, M), entry(Module, Name, class, M)}
                                   || M <- maps:get(class_methods, Info, [])]),
    Class = #{name => Name, superclass => maps:get(superclass, Info, 'Object'),
              kind => maps:get(kind, Info, undefined),
              modifier => maps:get(modifier, Info, none), doc => maps:get(doc, Info, nil),
              fields => maps:get(fields, Info, []), defaults => maps:get(defaults, Info, []),
              class_vars => maps:get(class_vars, Info, []),
              class_var_defaults => maps:get(class_var_defaults, Info, []),
              module => Module, methods => Methods, class_methods => ClassMethods},
    case Old of
        #{module := Module0} when Module0 =/= none -> remember(Name, Old, Class);
        _ -> ok  % new, or a stdlib skeleton: no message can have run on its methods
    end,
    ets:insert(?TAB, {{class, Name}, Class}),
    OldSelectors = case Old of
                       undefined -> [];
                       _ -> defined_selectors(Old)
                   end,
    affected(Name, OldSelectors).

%% A method table entry: where a send of this selector goes, and what reflection shows.
entry(Module, Class, Side, Info) ->
    Selector = maps:get(selector, Info),
    Arity = maps:get(arity, Info, beamtalk_dispatch_gen:selector_arity(Selector) + 1),
    Function = maps:get(function, Info, Selector),
    Target = case maps:get(primitive, Info, none) of
                 none -> {Module, Function};
                 {PrimModule, PrimName} ->
                     case code:ensure_loaded(PrimModule) of
                         {module, _} ->
                             case erlang:function_exported(PrimModule, PrimName, Arity) of
                                 true -> {PrimModule, PrimName};
                                 false -> fallback(Module, Info)
                             end;
                         _ -> fallback(Module, Info)
                     end
             end,
    #{selector => Selector, class => Class, side => Side, module => Module,
      function => Function, arity => Arity, target => Target,
      source => maps:get(source, Info, nil), doc => maps:get(doc, Info, nil),
      sealed => maps:get(sealed, Info, false)}.

fallback(Module, Info) ->
    case maps:get(fallback, Info, none) of
        none -> unsupported;
        Name -> {Module, Name}
    end.

defined_selectors(#{methods := M, class_methods := CM} = Class) ->
    maps:keys(M) ++ maps:keys(CM) ++ accessor_selectors(maps:get(fields, Class, [])).

accessor_selectors(Fields) ->
    Fields ++ [beamtalk_dispatch_gen:setter_selector(F) || F <- Fields].

%% The selectors a change to this class may touch: its own and its ancestors' (the class's
%% clauses in their dispatch modules), plus Extra; a change to a class whose methods are
%% the generic fallback touches every selector.
affected(Name, Extra) ->
    case lists:member(Name, ?GENERIC) of
        true -> known_selectors() ++ defined_selectors(info(Name)) ++ Extra;
        false ->
            Chain = [C || C <- chain(Name), not lists:member(C, ?GENERIC)],
            lists:append([defined_selectors(info(C)) || C <- Chain, info(C) =/= undefined])
                ++ Extra
    end.

regenerate(Selectors) ->
    Unique = lists:usort(Selectors),
    [ets:insert(?TAB, {{sel, S}, true}) || S <- Unique],
    %% While generating, this server reads the classes from one snapshot in its process
    %% dictionary: copying class maps out of ETS for every lookup dominated the time.
    put(?SNAPSHOT, maps:from_list([{N, C} || {{class, N}, C}
                                                 <- ets:match_object(?TAB, {{class, '_'}, '_'})])),
    try beamtalk_dispatch_gen:generate(Unique)
    after erase(?SNAPSHOT)
    end.

%% ---------------------------------------------------------------- reading

-spec info(atom()) -> map() | undefined.
%% @doc The class's current definition map, or undefined.
info(Name) ->
    case get(?SNAPSHOT) of
        undefined ->
            case ets:lookup(?TAB, {class, Name}) of
                [{_, Class}] -> Class;
                [] -> undefined
            end;
        Snapshot -> maps:get(Name, Snapshot, undefined)
    end.

-spec exists(atom()) -> boolean().
exists(Name) -> info(Name) =/= undefined.

-spec superclass(atom()) -> atom().
%% @doc The superclass name, or nil for Object.
superclass(Name) ->
    case info(Name) of
        #{superclass := Super} -> Super;
        undefined -> nil
    end.

-spec lookup_chain(atom()) -> [atom()].
%% @doc The class and its superclasses, nearest first (empty for an unknown class).
lookup_chain(Name) -> chain(Name).

-spec chain(atom()) -> [atom()].
%% @doc The class and its superclasses, nearest first.
chain(Name) -> cached({chain, Name}, fun() -> chain_now(Name) end).

chain_now(nil) -> [];
chain_now(Name) ->
    case info(Name) of
        undefined -> [];
        #{superclass := Super} -> [Name | chain_now(Super)]
    end.

-spec cached(term(), fun(() -> T)) -> T.
%% @doc Compute(), kept by this process under Key until the registry's generation moves
%% (classes registered or reset, methods added or removed). chain/1, kind/1, all_fields/1,
%% the field plans and the instantiation plans of beamtalk_object and beamtalk_class copy
%% whole class entries out of the table (every instantiation needs them). Never in the
%% registry's server (it changes classes) nor while a snapshot of the registry is examined.
cached(Key, Compute) ->
    case get(?LAYOUTS) of
        off -> Compute();
        Layouts ->
            case get(?SNAPSHOT) =:= undefined andalso generation() of
                false -> Compute();
                none -> Compute();
                Gen ->
                    case Layouts of
                        {Gen, #{Key := Value}} -> Value;
                        {Gen, Known} -> remember_layout(Gen, Known, Key, Compute());
                        _ -> remember_layout(Gen, #{}, Key, Compute())
                    end
            end
    end.

remember_layout(Gen, Known, Key, Value) ->
    put(?LAYOUTS, {Gen, Known#{Key => Value}}),
    Value.

generation() ->
    try beamtalk_actor:generation() catch error:_ -> none end.

-spec field_plan(atom()) -> {[atom()], [atom()], module()}.
%% @doc A class's own fields, those with a default, and its module (instantiation).
field_plan(Name) ->
    cached({plan, Name}, fun() ->
                                 #{fields := Own, defaults := Defaults, module := Module} =
                                     info(Name),
                                 {Own, Defaults, Module}
                         end).

-spec modifier(atom()) -> none | abstract | sealed.
%% @doc The class's modifier.
modifier(Name) -> cached({modifier, Name}, fun() -> maps:get(modifier, info(Name)) end).

-spec inherits_from(atom(), atom()) -> boolean().
%% @doc True when Class is Ancestor or one of its subclasses.
inherits_from(Class, Ancestor) -> lists:member(Ancestor, chain(Class)).

-spec kind(atom()) -> value | actor | exception.
%% @doc What the class's instances are: value instances, actors or exceptions.
kind(Name) -> cached({kind, Name}, fun() -> kind_now(Name) end).

kind_now(Name) ->
    Chain = chain(Name),
    case {lists:member('Actor', Chain), lists:member('Exception', Chain)} of
        {true, _} -> actor;
        {_, true} -> exception;
        _ -> value
    end.

-spec all_classes() -> [atom()].
%% @doc Every class name, sorted.
all_classes() ->
    case get(?SNAPSHOT) of
        undefined -> lists:sort([N || [N] <- ets:match(?TAB, {{class, '$1'}, '_'})]);
        Snapshot -> lists:sort(maps:keys(Snapshot))
    end.

-spec subclasses(atom()) -> [atom()].
%% @doc The direct subclasses, sorted by name.
subclasses(Name) -> [C || C <- all_classes(), superclass(C) =:= Name].

-spec all_fields(atom()) -> [atom()].
%% @doc The instance fields, inherited first, each in declaration order.
all_fields(Name) ->
    cached({fields, Name},
           fun() -> lists:append([maps:get(fields, info(C)) || C <- lists:reverse(chain(Name))])
           end).

-spec own_methods(atom(), instance | class) -> #{atom() => map()}.
%% @doc The class's own method table on one side (empty for an unknown class).
own_methods(Name, Side) ->
    case info(Name) of
        undefined -> #{};
        Class -> maps:get(side_key(Side), Class)
    end.

-spec lookup(atom(), instance | class, atom()) -> map() | none.
%% @doc The method entry a send finds starting at this class and side (no accessors).
lookup(Name, Side, Selector) -> find(chain(Name), side_key(Side), Selector).

find([], _, _) -> none;
find([C | Rest], Key, Selector) ->
    case maps:find(Selector, maps:get(Key, info(C))) of
        {ok, Entry} -> Entry;
        error -> find(Rest, Key, Selector)
    end.

-spec known_selectors() -> [atom()].
known_selectors() -> lists:sort([S || [S] <- ets:match(?TAB, {{sel, '$1'}, '_'})]).

-spec selector_arity(atom()) -> non_neg_integer().
selector_arity(Selector) -> beamtalk_dispatch_gen:selector_arity(Selector).

%% ---------------------------------------------------------------- globals, class state

-spec global(atom()) -> term().
%% @doc The value of a capitalized name: a class, or a workspace global; else UndefinedGlobal.
global(Name) ->
    %% Whether a class has the name changes only with the generation: kept per process
    %% (generated code reads a class by name at every use).
    case cached({is_class, Name}, fun() -> ets:member(?TAB, {class, Name}) end) of
        true -> beamtalk_value:class(Name);
        false ->
            case ets:lookup(?TAB, {global, Name}) of
                [{_, Value}] -> Value;
                [] -> beamtalk_error:raise(undefined_global, #{name => Name})
            end
    end.

-spec global_value(atom()) -> {ok, term()} | error.
%% @doc A workspace global set with `Beamtalk at:put:`.
global_value(Name) ->
    case ets:lookup(?TAB, {global, Name}) of
        [{_, Value}] -> {ok, Value};
        [] -> error
    end.

-spec set_global(atom(), term()) -> term().
set_global(Name, Value) -> ets:insert(?TAB, {{global, Name}, Value}), Value.

-spec class_var(atom(), atom()) -> term().
%% @doc A class variable's value (the declaring class's; nil before any write).
class_var(Class, Var) ->
    case ets:lookup(?TAB, {cvar, declaring(Class, Var), Var}) of
        [{_, Value}] -> Value;
        [] -> nil
    end.

-spec set_class_var(atom(), atom(), term()) -> term().
%% @doc Write a class variable (atomic per class); answers the value.
set_class_var(Class, Var, Value) ->
    ets:insert(?TAB, {{cvar, declaring(Class, Var), Var}, Value}),
    Value.

%% One variable per declaring class, shared by its subclasses.
declaring(Class, Var) ->
    case [C || C <- chain(Class), lists:member(Var, maps:get(class_vars, info(C), []))] of
        [Declaring | _] -> Declaring;
        [] -> Class
    end.
