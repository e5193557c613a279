%% The application callback: starts the supervisor that owns the class registry.
-module(beamtalk_app).
-behaviour(application).
-export([start/2, stop/1]).

start(_Type, _Args) -> beamtalk_sup:start_link().
stop(_State) -> ok.
