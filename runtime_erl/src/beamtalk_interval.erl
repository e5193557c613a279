%% Interval: `(1 to: 10)`, `(1 to: 9 by: 2)`, `{'$interval', Start, Stop, Step}`.
-module(beamtalk_interval).
-export([new/4, loop/5, values/1, size/1, first/1, last/1, 'includes:'/2, 'do:'/2,
         'collect:'/2, 'select:'/2, 'reject:'/2, 'inject:into:'/3, asList/1, sum/1]).

-spec new(atom(), number(), term(), term()) -> tuple().
%% @doc The interval of `to:` / `to:by:`, with the arguments checked.
new(Selector, Start, Stop, Step) ->
    check_number(Selector, Stop),
    beamtalk_value:interval(Start, Stop, check_step(Selector, Step)).

check_number(_, N) when is_integer(N); is_float(N) -> N;
check_number(Selector, N) ->
    beamtalk_error:raise(expects_number, #{selector => Selector,
                                           kind => beamtalk_value:kind_name(N)}).

check_step(Selector, Step) ->
    check_number(Selector, Step),
    case Step == 0 of
        true -> beamtalk_error:raise(zero_step, #{selector => Selector, value => Step});
        false -> Step
    end.

-spec loop(atom(), number(), term(), term(), term()) -> number().
%% @doc `to:do:` and `to:by:do:` when not inlined; answers the receiver.
loop(Selector, Start, Stop, Step, Block) ->
    check_number(Selector, Stop),
    check_step(Selector, Step),
    [beamtalk_block:cull(Block, V) || V <- values({'$interval', Start, Stop, Step})],
    Start.

-spec values(tuple()) -> [number()].
%% @doc The numbers of the interval, in order (repeated addition, as the interpreter does).
values({'$interval', Start, Stop, Step}) when Step > 0 -> up(Start, Stop, Step);
values({'$interval', Start, Stop, Step}) when Step < 0 -> down(Start, Stop, Step);
values(_) -> [].

up(V, Stop, Step) when V =< Stop -> [V | up(V + Step, Stop, Step)];
up(_, _, _) -> [].
down(V, Stop, Step) when V >= Stop -> [V | down(V + Step, Stop, Step)];
down(_, _, _) -> [].

size(I) -> length(values(I)).
first(I) -> case values(I) of [] -> beamtalk_coll:empty(); [F | _] -> F end.
last(I) -> case values(I) of [] -> beamtalk_coll:empty(); Vs -> lists:last(Vs) end.
'includes:'(I, X) -> lists:member(X, values(I)).
'do:'(I, Block) -> [beamtalk_block:call(Block, [V]) || V <- values(I)], I.
'collect:'(I, Block) -> [beamtalk_block:call(Block, [V]) || V <- values(I)].
'select:'(I, Block) -> [V || V <- values(I), beamtalk_block:truth('select:', Block, [V])].
'reject:'(I, Block) -> [V || V <- values(I), not beamtalk_block:truth('reject:', Block, [V])].
'inject:into:'(I, Acc, Block) ->
    lists:foldl(fun(V, A) -> beamtalk_block:call(Block, [A, V]) end, Acc, values(I)).
asList(I) -> values(I).
sum(I) -> lists:foldl(fun(V, A) -> beamtalk_number:add(A, V) end, 0, values(I)).
