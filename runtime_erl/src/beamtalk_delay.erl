%% The primitive table of Delay: a value with `milliseconds`; `wait` sleeps this process.
-module(beamtalk_delay).
-export(['class forMilliseconds:'/2, 'class forSeconds:'/2, wait/1]).

'class forMilliseconds:'(_, N) -> make('forMilliseconds:', N, 1).
'class forSeconds:'(_, N) -> make('forSeconds:', N, 1000).

make(_Selector, N, Scale) when is_integer(N); is_float(N) ->
    case N < 0 of
        true -> beamtalk_error:raise(negative_delay, #{value => N});
        false -> {'$inst', 'Delay', #{milliseconds => N * Scale}}
    end;
make(Selector, Other, _) ->
    beamtalk_error:raise(expects_number, #{selector => Selector,
                                           kind => beamtalk_value:kind_name(Other)}).

wait({'$inst', _, #{milliseconds := Ms}} = Delay) ->
    timer:sleep(round(Ms)),
    beamtalk_future:run_callbacks(),  % a wait: callbacks of settled futures run (LANGUAGE.md 3.2)
    Delay.
