-module(beamtalk_supervisor).
%% @doc Supervisors (LANGUAGE.md 3.3): a Beamtalk Supervisor is an actor (beamtalk_actor) that
%% owns an OTP `supervisor` process running this module's init/1, so Erlang code sees an
%% ordinary OTP supervisor, and Erlang supervisors can hold Beamtalk actors (start_actor/2).
%%
%% - `Team spawn` reads the class-side configuration (as the interpreter does,
%%   interp/runtime/supervision.py, with the same errors), spawns the supervisor actor, then
%%   starts the OTP supervisor, whose init starts the children in order (each child spec's
%%   start is start_child/4, run in the OTP supervisor: it sends the class `spawn` or
%%   `spawnWith:` and links the new actor). A child that fails to spawn fails `spawn` with
%%   its error. Strategy, intensity (maxRestarts in restartWindow seconds, rounded up to whole
%%   seconds as OTP wants) and restart types are OTP's; children are shut down brutally
%%   (`kill`, as on the interpreter).
%% - A guard process watches both: when the actor ends (`stop`, `kill`) it stops the OTP
%%   supervisor (which ends the children, last first); when the OTP supervisor gives up
%%   (too many restarts) it ends the actor abnormally (`reached_max_restart_intensity`), so
%%   the actor's own supervisor restarts it even if transient.
%% - The OTP supervisor's process dictionary holds each child's actor reference (pid =>
%%   {position, ref}) and the restart count; `children`, `childNamed:` and `restartCount`
%%   read them (after the OTP supervisor has handled every exit of a child already dead, so
%%   a query made after `kill` returned sees the restart). A restart event counts once:
%%   with #oneForAll and #restForOne a group restart starts children in increasing positions,
%%   so a start at a position not after the previous one begins a new event.
%% - Which OTP supervisor belongs to a supervisor actor: a row `{global, {'$supervisor',
%%   ActorPid}}` in the class registry's public table (cleared by the runner's reset).

-behaviour(supervisor).
-export(['class spawn'/1, 'class spawnWith:'/2, children/1, 'childNamed:'/2, restartCount/1]).
-export([start_actor/2, start_child/4, otp_supervisor/1]).
-export([init/1, drop_own_reports/2]).

-define(TAB, beamtalk_classes).
-define(STRATEGIES, #{oneForOne => one_for_one, oneForAll => one_for_all,
                      restForOne => rest_for_one}).
-define(RESTARTS, [permanent, transient, temporary]).

%% ------------------------------------------------------------------ spawning

-spec 'class spawn'(term()) -> tuple().
%% @doc `Team spawn`: the supervisor actor, then its children.
'class spawn'(Class) -> spawn_supervisor(Class, #{}).

-spec 'class spawnWith:'(term(), term()) -> tuple().
%% @doc As spawn, the supervisor's own fields set first.
'class spawnWith:'(Class, Values) ->
    case beamtalk_dispatch:send(Values, await, []) of
        Map when is_map(Map) -> spawn_supervisor(Class, Map);
        Other -> beamtalk_error:raise(expects_dictionary,
                                      #{selector => 'spawnWith:',
                                        kind => beamtalk_value:kind_name(Other)})
    end.

spawn_supervisor({'$class', Name} = Class, Given) ->
    Flags = read_config(Class),
    quiet_reports(),
    {'$actor', _, ActorPid, _} = Actor = beamtalk_actor:spawn(Name, Given),
    case start_unlinked(Flags) of
        {ok, Sup} ->
            ets:insert(?TAB, {{global, {'$supervisor', ActorPid}}, Sup}),
            _ = spawn(fun() -> guard(ActorPid, Sup) end),
            Actor;
        {error, Reason} ->
            beamtalk_actor:kill(Actor),
            case Reason of
                {shutdown, {failed_to_start_child, _, {'$exc', _, _} = Exc}} -> erlang:error(Exc);
                _ -> beamtalk_error:raise(internal_error,
                                          #{detail => iolist_to_binary(
                                                        io_lib:format("~tp", [Reason]))})
            end
    end.

%% supervisor:start_link, then unlink: the OTP supervisor outlives the spawning process. A
%% failed start ends the new process abnormally; trap that exit so the caller survives it.
start_unlinked(Flags) ->
    Trap = process_flag(trap_exit, true),
    Result = supervisor:start_link(?MODULE, Flags),
    case Result of
        {ok, Sup} -> unlink(Sup);
        _ -> ok
    end,
    case Result of
        {error, _} -> receive {'EXIT', _, _} -> ok after 1000 -> ok end;
        _ -> ok
    end,
    process_flag(trap_exit, Trap),
    Result.

%% The two ends tied together (see the module doc).
guard(ActorPid, Sup) ->
    A = erlang:monitor(process, ActorPid),
    S = erlang:monitor(process, Sup),
    receive
        {'DOWN', A, process, _, _} ->
            catch gen_server:stop(Sup, shutdown, infinity);
        {'DOWN', S, process, _, normal} -> ok;
        {'DOWN', S, process, _, _} -> exit(ActorPid, reached_max_restart_intensity)
    end,
    ets:delete(?TAB, {global, {'$supervisor', ActorPid}}).

%% A child ending and being restarted is what a supervisor is for: OTP's supervisor reports
%% about our supervisors (tagged through their process metadata) are not shown to users.
quiet_reports() ->
    _ = logger:add_primary_filter(beamtalk_supervisors, {fun ?MODULE:drop_own_reports/2, []}),
    ok.

-spec drop_own_reports(logger:log_event(), term()) -> logger:filter_return().
%% @doc The logger filter: stop the events of Beamtalk supervisors, pass the others.
drop_own_reports(#{meta := #{beamtalk := supervisor}}, _) -> stop;
drop_own_reports(Event, _) -> Event.

%% ------------------------------------------------------------------ configuration

class_send(Class, Selector) -> beamtalk_dispatch:send(Class, Selector, []).

read_config({'$class', Name} = Class) ->
    Strategy = case maps:find(class_send(Class, strategy), ?STRATEGIES) of
                   {ok, S} -> S;
                   error -> beamtalk_error:raise(bad_strategy, #{class_name => Name})
               end,
    MaxRestarts = case class_send(Class, maxRestarts) of
                      M when is_integer(M), M >= 0 -> M;
                      _ -> beamtalk_error:raise(bad_max_restarts, #{class_name => Name})
                  end,
    Window = case class_send(Class, restartWindow) of
                 W when is_number(W), W > 0 -> W;
                 _ -> beamtalk_error:raise(bad_restart_window, #{class_name => Name})
             end,
    Specs = child_specs(Class),
    #{strategy => Strategy, intensity => MaxRestarts, period => max(1, ceil(Window)),
      specs => Specs}.

child_specs({'$class', Name} = Class) ->
    Entries = case class_send(Class, children) of
                  L when is_list(L) -> L;
                  Other -> beamtalk_error:raise(children_not_list,
                                                #{class_name => Name,
                                                  kind => beamtalk_value:kind_name(Other)})
              end,
    lists:foldl(fun(Entry, Acc) ->
                        {Child, _, _} = Spec = child_spec(Name, Entry),
                        case lists:keymember(Child, 1, Acc) of
                            true -> beamtalk_error:raise(duplicate_child,
                                                         #{class_name => Name, child => Child});
                            false -> Acc ++ [Spec]
                        end
                end, [], Entries).

%% {ChildClassName, Fields | none, RestartType}
child_spec(Name, Entry) ->
    {ChildClass, Fields} =
        case beamtalk_value:class_name(Entry) of
            'Association' ->
                Key = beamtalk_association:key(Entry),
                case beamtalk_association:value(Entry) of
                    Map when is_map(Map) -> {Key, Map};
                    _ -> beamtalk_error:raise(child_spec_fields,
                                              #{class_name => Name,
                                                spec => beamtalk_print:print_string(Entry)})
                end;
            _ -> {Entry, none}
        end,
    case ChildClass of
        {'$class', ChildName} -> {ChildName, Fields, restart_type(ChildClass)};
        _ -> beamtalk_error:raise(bad_child_spec, #{class_name => Name,
                                                    kind => beamtalk_value:kind_name(Entry)})
    end.

restart_type({'$class', Name} = Class) ->
    case beamtalk_dispatch:responds_to(Class, restart) of
        false -> permanent;
        true ->
            R = class_send(Class, restart),
            case lists:member(R, ?RESTARTS) of
                true -> R;
                false -> beamtalk_error:raise(bad_restart, #{class_name => Name})
            end
    end.

%% ------------------------------------------------------------------ the OTP supervisor

-spec init(map()) -> {ok, tuple()}.
%% @doc supervisor callback: the flags and child specs read by `spawn`.
init(#{strategy := Strategy, intensity := Intensity, period := Period, specs := Specs}) ->
    logger:update_process_metadata(#{beamtalk => supervisor}),
    put('$bt_initial', length(Specs)),
    put('$bt_restarts', 0),
    put('$bt_last', 0),
    Children = [#{id => Child, start => {?MODULE, start_child, [Child, Fields, Position, Strategy]},
                  restart => Restart, shutdown => brutal_kill, type => worker,
                  modules => dynamic}
                || {Position, {Child, Fields, Restart}} <- lists:enumerate(Specs)],
    {ok, {#{strategy => Strategy, intensity => Intensity, period => Period}, Children}}.

-spec start_child(atom(), map() | none, pos_integer(), atom()) -> {ok, pid()} | {error, term()}.
%% @doc A child's start, in the OTP supervisor: spawn the class's actor and link it.
start_child(Child, Fields, Position, Strategy) ->
    count_start(Position, Strategy),
    Class = beamtalk_value:class(Child),
    try case Fields of
            none -> beamtalk_dispatch:send(Class, spawn, []);
            _ -> beamtalk_dispatch:send(Class, 'spawnWith:', [Fields])
        end
    of
        {'$actor', _, Pid, _} = Ref ->
            link(Pid),
            forget_dead(),
            put({'$bt_child', Pid}, {Position, Ref}),
            {ok, Pid};
        Other ->
            {error, beamtalk_error:new(spawn_not_actor,
                                       #{class_name => Child,
                                         kind => beamtalk_value:kind_name(Other)})}
    catch
        error:{'$exc', _, _} = Exc -> {error, Exc};
        Kind:Reason -> {error, {Kind, Reason}}
    end.

%% The first starts are the initial ones; later starts are restarts, one event per start
%% with #oneForOne, else one per group (positions increase within a group).
count_start(Position, Strategy) ->
    case get('$bt_initial') of
        N when N > 0 -> put('$bt_initial', N - 1);
        _ ->
            case Strategy =:= one_for_one orelse Position =< get('$bt_last') of
                true -> put('$bt_restarts', get('$bt_restarts') + 1);
                false -> ok
            end
    end,
    put('$bt_last', Position).

forget_dead() ->
    [erase(K) || {{'$bt_child', P} = K, _} <- get(), not is_process_alive(P)],
    ok.

-spec start_actor(atom(), map()) -> {ok, pid()} | {error, term()}.
%% @doc For an Erlang supervisor's child spec: `{beamtalk_supervisor, start_actor,
%% ['Counter', #{}]}` spawns a Beamtalk actor (its class's `spawn`, or `spawnWith:` given
%% fields) linked to the caller. The actor answers `gen_server:call(Pid, {send, Selector,
%% Args})` with `{ok, Value}` or `{error, Exception}` (runtime_erl/README.md).
start_actor(ClassName, Fields) ->
    try case beamtalk_classes:inherits_from(ClassName, 'Supervisor') of
            true -> spawn_supervisor(beamtalk_value:class(ClassName), Fields);
            false -> beamtalk_actor:spawn(ClassName, Fields)
        end
    of
        {'$actor', _, Pid, _} -> link(Pid), {ok, Pid}
    catch
        error:Exc -> {error, Exc}
    end.

%% ------------------------------------------------------------------ queries (in the actor)

-spec otp_supervisor(tuple()) -> pid() | none.
%% @doc The OTP supervisor a supervisor actor owns (none for an actor that has none).
otp_supervisor({'$actor', _, Pid, _}) ->
    case ets:lookup(?TAB, {global, {'$supervisor', Pid}}) of
        [{_, Sup}] -> Sup;
        [] -> none
    end.

%% The OTP supervisor's view once it has handled the exit of every child already dead.
settled(Self) ->
    case otp_supervisor(Self) of
        none -> none;
        Sup -> settled(Sup, 1000)
    end.

settled(Sup, Tries) ->
    Listed = try supervisor:which_children(Sup)
             catch exit:_ -> dead
             end,
    case Listed of
        dead -> none;
        _ ->
            Pending = [P || {_, P, _, _} <- Listed, is_pid(P), not is_process_alive(P)],
            case Pending =/= [] andalso Tries > 0 of
                true -> receive after 1 -> ok end, settled(Sup, Tries - 1);
                false ->
                    {dictionary, Dict} = erlang:process_info(Sup, dictionary),
                    Refs = maps:from_list([{P, V} || {{'$bt_child', P}, V} <- Dict]),
                    Running = lists:sort([maps:get(P, Refs) || {_, P, _, _} <- Listed,
                                                               is_pid(P), maps:is_key(P, Refs)]),
                    {[Ref || {_, Ref} <- Running], proplists:get_value('$bt_restarts', Dict, 0)}
            end
    end.

-spec children(tuple()) -> [tuple()].
%% @doc The current child actors, in start order.
children(Self) ->
    case settled(Self) of
        none -> [];
        {Refs, _} -> Refs
    end.

-spec 'childNamed:'(tuple(), term()) -> term().
%% @doc The current actor of the child whose class is named Name (nil if none is running).
'childNamed:'(Self, Name0) ->
    Name = case beamtalk_future:awaited(Name0) of
               A when is_atom(A), A =/= nil, A =/= true, A =/= false -> A;
               B when is_binary(B) -> binary_to_atom(B, utf8);
               Other -> beamtalk_error:raise(expects_symbol,
                                             #{selector => 'childNamed:',
                                               kind => beamtalk_value:kind_name(Other)})
           end,
    case [Ref || {'$actor', C, _, _} = Ref <- children(Self), C =:= Name] of
        [Ref | _] -> Ref;
        [] -> nil
    end.

%% A Future argument is awaited first (other values answer `await` with themselves).
-spec restartCount(tuple()) -> non_neg_integer().
%% @doc The restart events so far.
restartCount(Self) ->
    case settled(Self) of
        none -> 0;
        {_, Count} -> Count
    end.
