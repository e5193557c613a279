-module(beamtalk_toolregistry).
%% @doc The primitive of stdlib/ToolRegistry.bt: `ToolRegistry default`, the empty registry
%% (a value; the rest of the protocol is written in Beamtalk).

-export(['class default'/1]).

-spec 'class default'(term()) -> tuple().
%% @doc The empty registry.
'class default'(_Class) -> beamtalk_object:new_instance('ToolRegistry', #{tools => #{}}).
