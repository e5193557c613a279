%% Block (funs): calling them from primitives, with the spec's ArityError, and the
%% primitive table of Block for the messages that need no exception machinery
%% (on:do:, ensure: and ifCurtailed: come with the generator's handlers and `^`).
-module(beamtalk_block).
-export([call/2, cull/2, truth/3, answer/2, cull_answer/2]).
-export([value/1, 'value:'/2, 'value:value:'/3, 'value:value:value:'/4,
         'value:value:value:value:'/5, 'valueWithArguments:'/2, numArgs/1, 'cull:'/2,
         'whileTrue:'/2, 'whileFalse:'/2, whileTrue/1, whileFalse/1, repeat/1, 'on:do:'/3,
         'ensure:'/2, 'ifCurtailed:'/2]).

-spec call(term(), [term()]) -> term().
%% @doc Call a block with these arguments; a wrong count signals ArityError.
call(Block, Args) when is_function(Block, length(Args)) -> erlang:apply(Block, Args);
call(Block, Args) when is_function(Block) ->
    {arity, Expected} = erlang:fun_info(Block, arity),
    case Expected of
        1 -> beamtalk_error:raise(block_arity_one, #{count => length(Args)});
        _ -> beamtalk_error:raise(block_arity, #{expected => Expected, count => length(Args)})
    end;
call(Other, Args) ->
    %% Anything else is sent `value`, `value:`, `value:value:`... (as on the interpreter,
    %% interp/runtime/calls.py): an object defining it works, others do not understand it.
    beamtalk_dispatch:send(Other, value_selector(length(Args)), Args).

value_selector(0) -> value;
value_selector(N) -> binary_to_atom(binary:copy(<<"value:">>, N)).

-spec cull(fun(), term()) -> term().
%% @doc Offer one argument: a block without parameters is called without it.
cull(Block, Arg) when is_function(Block, 1) -> Block(Arg);  % the usual case, directly
cull(Block, _) when is_function(Block, 0) -> Block();
cull(Block, Arg) -> call(Block, [Arg]).

-spec answer(term(), [term()]) -> term().
%% @doc call/2 for a primitive that needs the block's answer (a Boolean it tests, a key it
%% compares, a collection it reads): a future answer is awaited (LANGUAGE.md 3.2, "wherever
%% a value is needed"). Where the answer is only stored (`collect:`), call/2 keeps it.
answer(Block, Args) -> beamtalk_future:value(call(Block, Args)).

-spec cull_answer(term(), term()) -> term().
%% @doc cull/2, the answer awaited as by answer/2.
cull_answer(Block, Arg) -> beamtalk_future:value(cull(Block, Arg)).

-spec truth(atom(), fun(), [term()]) -> boolean().
%% @doc A block's Boolean answer (awaited), or a TypeError when it answered something else.
truth(Selector, Block, Args) ->
    case answer(Block, Args) of
        true -> true;
        false -> false;
        Other -> beamtalk_error:raise(expects_boolean_block,
                                      #{selector => Selector,
                                        kind => beamtalk_value:kind_name(Other)})
    end.

value(B) -> call(B, []).
'value:'(B, X) -> call(B, [X]).
'value:value:'(B, X, Y) -> call(B, [X, Y]).
'value:value:value:'(B, X, Y, Z) -> call(B, [X, Y, Z]).
'value:value:value:value:'(B, X, Y, Z, W) -> call(B, [X, Y, Z, W]).
'valueWithArguments:'(B, Args) when is_list(Args) -> call(B, Args);
'valueWithArguments:'(B, Args) when is_tuple(Args) ->  % a Tuple, as on the interpreter
    case beamtalk_value:class_of(Args) of  % class_of: a class term is no Tuple
        {'$class', 'Tuple'} -> call(B, tuple_to_list(Args));
        _ -> expects_list(Args)
    end;
'valueWithArguments:'(_, Args) -> expects_list(Args).

expects_list(Args) ->
    beamtalk_error:raise(expects_list, #{selector => 'valueWithArguments:',
                                         kind => beamtalk_value:kind_name(Args)}).
numArgs(B) -> {arity, N} = erlang:fun_info(B, arity), N.
'cull:'(B, X) -> cull(B, X).

%% Loops when not inlined (a block in a variable, perform:); they answer nil.
'whileTrue:'(Cond, Body) -> while('whileTrue:', Cond, true, fun() -> call(Body, []) end).
'whileFalse:'(Cond, Body) -> while('whileFalse:', Cond, false, fun() -> call(Body, []) end).
whileTrue(Cond) -> while(whileTrue, Cond, true, fun() -> nil end).
whileFalse(Cond) -> while(whileFalse, Cond, false, fun() -> nil end).

while(Selector, Cond, Want, Body) ->
    case call(Cond, []) of
        Want -> Body(), while(Selector, Cond, Want, Body);
        B when is_boolean(B) -> nil;
        Other -> beamtalk_error:raise(expects_boolean, #{selector => Selector,
                                                         kind => beamtalk_value:kind_name(Other)})
    end.

repeat(B) -> call(B, []), repeat(B).
'on:do:'(B, Catches, Handler) -> beamtalk_handlers:on_do(B, Catches, Handler).
'ensure:'(B, Cleanup) -> beamtalk_handlers:ensure(B, Cleanup).
'ifCurtailed:'(B, Cleanup) -> beamtalk_handlers:if_curtailed(B, Cleanup).
