%% Interval: `(1 to: 10)`, `(1 to: 9 by: 2)`, `{'$interval', Start, Stop, Step}`.
-module(beamtalk_interval).
-export([new/4, loop/5, values/1, size/1, first/1, last/1, 'includes:'/2, 'do:'/2,
         'collect:'/2, 'select:'/2, 'reject:'/2, 'detect:'/2, 'detect:ifNone:'/3,
         'inject:into:'/3, asList/1, sum/1]).

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
    case is_integer(Start) andalso is_integer(Stop) andalso is_integer(Step) of
        true -> [beamtalk_block:cull(Block, V) || V <- values({'$interval', Start, Stop, Step})];
        false -> count_by_addition(Start, Stop, Step, Block)  % as the interpreter's loop
    end,
    Start.

count_by_addition(I, Stop, Step, Block) when Step > 0, I =< Stop; Step < 0, I >= Stop ->
    beamtalk_block:cull(Block, I),
    count_by_addition(beamtalk_number:add(I, Step), Stop, Step, Block);
count_by_addition(_, _, _, _) -> ok.

-spec values(tuple()) -> [number()].
%% @doc The numbers of the interval, in order.  With a Float bound or step the i-th is
%% `start + i * step` (no accumulated rounding), for i up to trunc((stop - start) / step).
values({'$interval', Start, Stop, Step})
  when is_integer(Start), is_integer(Stop), is_integer(Step), Step > 0, Start =< Stop;
       is_integer(Start), is_integer(Stop), is_integer(Step), Step < 0, Start >= Stop ->
    lists:seq(Start, Stop, Step);
values({'$interval', Start, Stop, Step}) when Step == 0; (Stop - Start) * Step < 0 -> [];
values({'$interval', Start, Stop, Step}) ->
    Count = erlang:trunc((Stop - Start) / Step) + 1,
    [Start | [Start + I * Step || I <- lists:seq(1, Count - 1)]].

size(I) -> length(values(I)).
first(I) -> case values(I) of [] -> beamtalk_coll:empty(); [F | _] -> F end.
last(I) -> case values(I) of [] -> beamtalk_coll:empty(); Vs -> lists:last(Vs) end.
'includes:'(I, X) -> lists:member(X, values(I)).
'do:'(I, Block) -> [beamtalk_block:call(Block, [V]) || V <- values(I)], I.
'collect:'(I, Block) -> [beamtalk_block:call(Block, [V]) || V <- values(I)].
'select:'(I, Block) -> [V || V <- values(I), beamtalk_block:truth('select:', Block, [V])].
'reject:'(I, Block) -> [V || V <- values(I), not beamtalk_block:truth('reject:', Block, [V])].
'detect:'(I, Block) -> beamtalk_list:'detect:'(values(I), Block).
'detect:ifNone:'(I, Block, None) -> beamtalk_list:'detect:ifNone:'(values(I), Block, None).
'inject:into:'(I, Acc, Block) ->
    lists:foldl(fun(V, A) -> beamtalk_block:call(Block, [A, V]) end, Acc, values(I)).
asList(I) -> values(I).
sum(I) -> beamtalk_list:sum(values(I)).
