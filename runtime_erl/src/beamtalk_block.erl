%% Calling Blocks (funs) from primitives, with the spec's ArityError.
-module(beamtalk_block).
-export([call/2, cull/2, truth/3]).

-spec call(fun(), [term()]) -> term().
%% @doc Call a block with these arguments; a wrong count signals ArityError.
call(Block, Args) when is_function(Block, length(Args)) -> erlang:apply(Block, Args);
call(Block, Args) when is_function(Block) ->
    {arity, Expected} = erlang:fun_info(Block, arity),
    case Expected of
        1 -> beamtalk_error:raise(block_arity_one, #{count => length(Args)});
        _ -> beamtalk_error:raise(block_arity, #{expected => Expected, count => length(Args)})
    end;
call(Other, _) ->
    beamtalk_error:raise(expects_block, #{selector => value,
                                          kind => beamtalk_value:kind_name(Other)}).

-spec cull(fun(), term()) -> term().
%% @doc Offer one argument: a block without parameters is called without it.
cull(Block, _) when is_function(Block, 0) -> Block();
cull(Block, Arg) -> call(Block, [Arg]).

-spec truth(atom(), fun(), [term()]) -> boolean().
%% @doc A block's Boolean answer, or a TypeError when it answered something else.
truth(Selector, Block, Args) ->
    case call(Block, Args) of
        true -> true;
        false -> false;
        Other -> beamtalk_error:raise(expects_boolean_block,
                                      #{selector => Selector,
                                        kind => beamtalk_value:kind_name(Other)})
    end.
