%% Deadlock detection's chain-following (LANGUAGE.md 3.2, ARCHITECTURE.md "BEAM backend
%% notes"): a wait that outlasts 100 ms records its edge `{Waiter, Awaited, AwaitedClass}` in
%% its node's public `beamtalk_waits` table (beamtalk_future); this module follows the edges
%% from the awaited actor, and a path back to the waiter is a cycle.  An edge that leads to a
%% pid of another node is read there (erpc, short timeout), so a cycle through actors of
%% several nodes is found as one within a node is (LANGUAGE.md 3.8: every rule works across
%% nodes).  A node that does not answer in time ends the search without a verdict (the wait
%% goes on, and its timeout still holds).
-module(beamtalk_waits).
-export([cycle/2, edge/1]).

-define(WAITS, beamtalk_waits).   % the table (created by beamtalk_actor at start-up)
-define(MAX_STEPS, 10000).        % a longer chain is not followed further
-define(ASK_MS, 250).             % how long another node may take to tell one edge

-spec cycle(pid(), [atom()]) -> {cycle, [atom()]} | none.
%% @doc Follow the wait edges from Pid (an actor of the class at the head of Names); a path
%% back to this process is a cycle, answered as the class names along it.
cycle(Pid, Names) -> cycle(Pid, Names, 0).

cycle(Pid, Names, _) when Pid =:= self() -> {cycle, lists:reverse(Names)};
cycle(_, _, Steps) when Steps > ?MAX_STEPS -> none;
cycle(Pid, Names, Steps) ->
    case next(Pid) of
        {Next, Class} -> cycle(Next, [Class | Names], Steps + 1);
        none -> none
    end.

%% The edge from Pid: read here for a pid of this node, else asked of its node.
next(Pid) when node(Pid) =:= node() -> edge(Pid);
next(Pid) ->
    Node = node(Pid),
    %% Only a node already connected is asked: looking for a cycle never opens a connection.
    case lists:member(Node, nodes()) of
        true ->
            try erpc:call(Node, ?MODULE, edge, [Pid], ?ASK_MS)
            catch _:_ -> none  % no answer in time, or no runtime there: no verdict
            end;
        false -> none
    end.

-spec edge(pid()) -> {pid(), atom()} | none.
%% @doc What the process Pid of this node awaits now (after 100 ms of waiting), and that
%% actor's class; none when it awaits nothing (or for that long).
edge(Pid) ->
    try ets:lookup(?WAITS, Pid) of
        [{_, Next, Class}] -> {Next, Class};
        [] -> none
    catch error:badarg -> none  % no runtime started here (no table)
    end.
