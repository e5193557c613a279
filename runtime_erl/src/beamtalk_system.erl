%% The primitive table of System (class side): script arguments, environment, exit, and this
%% node (beamtalk_node, LANGUAGE.md 3.8).
%% The arguments come from the application environment (`beamtalk_runtime`, `arguments`),
%% set by whoever starts the program.
-module(beamtalk_system).
-export(['class arguments'/1, 'class exit:'/2, 'class environmentAt:'/2, 'class node'/1,
         'class nodes'/1, 'class connect:'/2]).

'class arguments'(_) ->
    [unicode:characters_to_binary(A)
     || A <- application:get_env(beamtalk_runtime, arguments, [])].

'class exit:'(_, Status) when is_integer(Status), Status >= 0, Status =< 255 ->
    beamtalk_io:halt(Status);
'class exit:'(_, Status) when is_integer(Status) ->
    beamtalk_error:raise(bad_exit_status, #{value => Status});
'class exit:'(_, Other) ->
    beamtalk_error:raise(expects_integer, #{selector => 'exit:',
                                            kind => beamtalk_value:kind_name(Other)}).

'class environmentAt:'(_, Name) when is_binary(Name) ->
    case os:getenv(unicode:characters_to_list(Name)) of
        false -> nil;
        Value -> unicode:characters_to_binary(Value)
    end;
'class environmentAt:'(_, Other) ->
    beamtalk_error:raise(expects_string, #{selector => 'environmentAt:',
                                           kind => beamtalk_value:kind_name(Other)}).

'class node'(_) -> beamtalk_node:this_node().

'class nodes'(_) -> beamtalk_node:other_nodes().

'class connect:'(_, NodeName) -> beamtalk_node:connect('connect:', NodeName).
