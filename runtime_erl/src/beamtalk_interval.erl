%% Interval: `(1 to: 10)`, `(1 to: 9 by: 2)`, `{'$interval', Start, Stop, Step}`.
-module(beamtalk_interval).
-compile({no_auto_import, [size/1]}).
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
        true ->  % one by one, never the whole list: `1 to: 10 ** 400 do: b` may stop early
            I = {'$interval', Start, Stop, Step},
            walk(Start, last_or(I, Start - Step), Step, Block);
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

%% With Integer bounds and step, size, first, last and includes: are arithmetic and do: walks
%% the numbers one by one, as the interpreter's lazy range does: `(1 to: 2 ** 70) size`
%% answers at once instead of building the list.
size({'$interval', Start, Stop, Step} = I) ->
    case integer_bounds(I) of
        true -> erlang:max(0, floor_div(Stop - Start + Step, Step));
        false -> length(values(I))
    end.

first({'$interval', Start, _, _} = I) ->
    case integer_bounds(I) of
        true -> nonempty(I), Start;
        false -> case values(I) of [] -> beamtalk_coll:empty(); [F | _] -> F end
    end.

last({'$interval', Start, _, Step} = I) ->
    case integer_bounds(I) of
        true -> nonempty(I), Start + (size(I) - 1) * Step;
        false -> case values(I) of [] -> beamtalk_coll:empty(); Vs -> lists:last(Vs) end
    end.

%% `=` never equates an Integer with a Float, so only an Integer is in an Integer interval.
'includes:'({'$interval', Start, _, Step} = I, X) ->
    case integer_bounds(I) of
        true ->
            is_integer(X) andalso size(I) > 0 andalso (X - Start) rem Step =:= 0
                andalso between(X, Start, last(I));
        false -> lists:member(X, values(I))
    end.

'do:'({'$interval', Start, _, Step} = I, Block) ->
    case integer_bounds(I) of
        true -> walk(Start, last_or(I, Start - Step), Step, Block);
        false -> [beamtalk_block:cull(Block, V) || V <- values(I)]
    end,
    I.

walk(V, Last, Step, Block) when Step > 0, V =< Last; Step < 0, V >= Last ->
    beamtalk_block:cull(Block, V),
    walk(V + Step, Last, Step, Block);
walk(_, _, _, _) -> ok.

last_or(I, Default) -> case size(I) of 0 -> Default; _ -> last(I) end.

integer_bounds({'$interval', Start, Stop, Step}) ->
    is_integer(Start) andalso is_integer(Stop) andalso is_integer(Step) andalso Step =/= 0.

nonempty(I) -> size(I) > 0 orelse beamtalk_coll:empty().

between(X, A, B) when A =< B -> A =< X andalso X =< B;
between(X, A, B) -> B =< X andalso X =< A.

floor_div(A, B) ->
    Q = A div B,
    case (A rem B =/= 0) andalso ((A < 0) =/= (B < 0)) of
        true -> Q - 1;
        false -> Q
    end.
%% A block offered one element may take none (LANGUAGE.md 2.3), as for a List.
'collect:'(I, Block) -> beamtalk_list:'collect:'(values(I), Block).
'select:'(I, Block) -> beamtalk_list:'select:'(values(I), Block).
'reject:'(I, Block) -> beamtalk_list:'reject:'(values(I), Block).
'detect:'(I, Block) -> beamtalk_list:'detect:'(values(I), Block).
'detect:ifNone:'(I, Block, None) -> beamtalk_list:'detect:ifNone:'(values(I), Block, None).
'inject:into:'(I, Acc, Block) ->
    lists:foldl(fun(V, A) -> beamtalk_block:call(Block, [A, V]) end, Acc, values(I)).
asList(I) -> beamtalk_limits:check_elements(size(I), "elements"), values(I).
sum(I) -> beamtalk_list:sum(values(I)).
