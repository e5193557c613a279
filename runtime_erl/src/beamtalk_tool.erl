-module(beamtalk_tool).
%% @doc The primitive of stdlib/Tool.bt: `Tool named: 'search' description: 'text' do: aBlock`
%% (calling a tool is the Beamtalk method `call:`, which sends the block `cull:`).

-export(['class named:description:do:'/4]).

-spec 'class named:description:do:'(term(), term(), term(), term()) -> tuple().
%% @doc A tool running Block (taking the call's arguments, or none) when called.
'class named:description:do:'(Class, Name0, Description0, Block) ->
    Name = string_arg(beamtalk_dispatch:send(Name0, await, [])),
    Description = string_arg(beamtalk_dispatch:send(Description0, await, [])),
    case Name of
        <<>> -> beamtalk_error:raise(tool_without_name, #{});
        _ -> ok
    end,
    case is_function(Block) of
        true -> ok;
        false -> beamtalk_error:raise(expects_block, #{selector => 'named:description:do:',
                                                       kind => beamtalk_value:kind_name(Block)})
    end,
    {arity, Arity} = erlang:fun_info(Block, arity),
    case Arity > 1 of
        true -> beamtalk_error:raise(tool_block_arity, #{count => Arity});
        false -> ok
    end,
    beamtalk_object:new_instance(class_name(Class), #{name => Name, description => Description,
                                                      action => Block}).

%% `Tool` or a subclass the primitive was inherited by (the receiver is a class object).
class_name({'$class', Name}) -> Name.

string_arg(V) when is_binary(V) -> V;
string_arg(V) ->
    beamtalk_error:raise(expects_string, #{selector => 'named:description:do:',
                                           kind => beamtalk_value:kind_name(V)}).
