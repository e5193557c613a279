%% The runtime's top supervisor: one child, the class registry (which owns its ETS table).
-module(beamtalk_sup).
-behaviour(supervisor).
-export([start_link/0, init/1]).

start_link() -> supervisor:start_link({local, ?MODULE}, ?MODULE, []).

init([]) ->
    Registry = #{id => beamtalk_classes, start => {beamtalk_classes, start_link, []},
                 restart => permanent, shutdown => 5000, type => worker,
                 modules => [beamtalk_classes]},
    {ok, {#{strategy => one_for_one, intensity => 5, period => 10}, [Registry]}}.
