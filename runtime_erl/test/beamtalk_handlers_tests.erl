%% The exception machinery: on:do: (classes, ExceptionSets), ensure:, ifCurtailed:,
%% retry, return:, pass, resume:, resumable Warnings at the signal point, non-local return.
-module(beamtalk_handlers_tests).
-include_lib("eunit/include/eunit.hrl").

-define(ZD, {'$class', 'ZeroDivide'}).
-define(W, {'$class', 'Warning'}).

setup() -> beamtalk_classes:ensure_started().

divide() -> beamtalk_integer:'/'(1, 0).

log(X) -> put(log, [X | case get(log) of undefined -> []; L -> L end]).
take_log() -> lists:reverse(case erase(log) of undefined -> []; L -> L end).

catches_by_class_test() ->
    setup(),
    ?assertEqual(<<"Division by zero">>,
                 beamtalk_block:'on:do:'(fun divide/0, ?ZD,
                                         fun(E) -> beamtalk_exception:messageText(E) end)),
    %% Superclass, ExceptionSet, and a class that does not match.
    ?assertEqual(caught, beamtalk_block:'on:do:'(fun divide/0, {'$class', 'Error'},
                                                 fun(_) -> caught end)),
    Set = beamtalk_exception:'class ,'({'$class', 'TypeError'}, ?ZD),
    ?assertEqual(set, beamtalk_block:'on:do:'(fun divide/0, Set, fun() -> set end)),
    ?assertError({'$exc', 'ZeroDivide', _},
                 beamtalk_block:'on:do:'(fun divide/0, {'$class', 'TypeError'},
                                         fun(_) -> wrong end)).

ensure_runs_before_the_handler_test() ->
    setup(),
    V = beamtalk_block:'on:do:'(
          fun() -> beamtalk_block:'ensure:'(fun divide/0, fun() -> log(ensure) end) end,
          ?ZD, fun(_) -> log(handler), done end),
    ?assertEqual(done, V),
    ?assertEqual([ensure, handler], take_log()),
    ?assertEqual(3, beamtalk_block:'ensure:'(fun() -> 3 end, fun() -> log(ran) end)),
    ?assertEqual([ran], take_log()).

if_curtailed_test() ->
    setup(),
    ?assertEqual(1, beamtalk_block:'ifCurtailed:'(fun() -> 1 end, fun() -> log(no) end)),
    ?assertEqual([], take_log()),
    ?assertEqual(x, beamtalk_block:'on:do:'(
                      fun() -> beamtalk_block:'ifCurtailed:'(fun divide/0, fun() -> log(yes) end) end,
                      ?ZD, fun(_) -> x end)),
    ?assertEqual([yes], take_log()).

retry_and_return_test() ->
    setup(),
    put(tries, 0),
    Body = fun() -> put(tries, get(tries) + 1),
                    case get(tries) of 1 -> divide(); N -> N end end,
    ?assertEqual(2, beamtalk_block:'on:do:'(Body, ?ZD,
                                            fun(E) -> beamtalk_exception:retry(E) end)),
    ?assertEqual(7, beamtalk_block:'on:do:'(fun divide/0, ?ZD,
                                            fun(E) -> beamtalk_exception:'return:'(E, 7), 8 end)).

pass_and_handler_errors_go_outward_test() ->
    setup(),
    Inner = fun() -> beamtalk_block:'on:do:'(fun divide/0, ?ZD,
                                             fun(E) -> beamtalk_exception:pass(E) end) end,
    ?assertEqual(outer, beamtalk_block:'on:do:'(Inner, ?ZD, fun(_) -> outer end)),
    %% An error raised in a handler is not caught by that same on:do:.
    Raising = fun() -> beamtalk_block:'on:do:'(fun divide/0, ?ZD, fun(_) -> divide() end) end,
    ?assertEqual(outside, beamtalk_block:'on:do:'(Raising, ?ZD, fun(_) -> outside end)),
    ?assertError({'$exc', 'Error', _}, beamtalk_exception:retry(beamtalk_error:of_class('Error', nil))).

resume_on_error_is_illegal_test() ->
    setup(),
    V = beamtalk_block:'on:do:'(fun divide/0, ?ZD,
                                fun(E) -> beamtalk_block:'on:do:'(
                                            fun() -> beamtalk_exception:'resume:'(E, 1) end,
                                            {'$class', 'IllegalResumeAttempt'},
                                            fun(R) -> beamtalk_exception:messageText(R) end)
                                end),
    ?assertEqual(<<"ZeroDivide is not resumable">>, V).

warning_resumes_at_the_signal_point_test() ->
    setup(),
    Body = fun() ->
                   beamtalk_block:'ensure:'(
                     fun() ->
                             R = beamtalk_exception:'class signal:'(?W, <<"careful">>),
                             log({resumed, R}), R + 1
                     end, fun() -> log(ensure) end)
           end,
    V = beamtalk_block:'on:do:'(Body, ?W, fun(E) -> log(handler),
                                                     beamtalk_exception:'resume:'(E, 41) end),
    ?assertEqual(42, V),
    ?assertEqual([handler, {resumed, 41}, ensure], take_log()),
    %% A handler that ends normally unwinds afterwards: its value is the on:do:'s.
    V2 = beamtalk_block:'on:do:'(Body, ?W, fun(_) -> log(handler), 5 end),
    ?assertEqual(5, V2),
    ?assertEqual([handler, ensure], take_log()).

error_in_resumable_handler_skips_inner_frames_test() ->
    setup(),
    Inner = fun() -> beamtalk_block:'on:do:'(
                       fun() -> beamtalk_exception:'class signal:'(?W, <<"w">>) end,
                       ?ZD, fun(_) -> inner end) end,
    ?assertEqual(outer, beamtalk_block:'on:do:'(
                          fun() -> beamtalk_block:'on:do:'(Inner, ?W, fun(_) -> divide() end) end,
                          ?ZD, fun(_) -> outer end)).

unhandled_warning_answers_nil_test() ->
    setup(),
    register(beamtalk_output, self()),
    try
        ?assertEqual(nil, beamtalk_exception:'class signal:'(?W, <<"look out">>)),
        receive {beamtalk_output, warn, Text} -> ?assertEqual(<<"WARNING: look out\n">>, Text)
        after 1000 -> ?assert(false)
        end
    after unregister(beamtalk_output)
    end,
    ?assertError({'$exc', 'Error', _}, beamtalk_exception:'class signal:'({'$class', 'Error'}, <<"x">>)).

non_local_return_test() ->
    ?assertEqual(3, beamtalk_nlr:with_home(fun(Home) ->
                                                 beamtalk_block:'on:do:'(
                                                   fun() -> beamtalk_nlr:return(Home, 3) end,
                                                   ?ZD, fun(_) -> no end),
                                                 4
                                         end)),
    Escaped = beamtalk_nlr:with_home(fun(Home) -> fun() -> beamtalk_nlr:return(Home, 1) end end),
    ?assertError({'$exc', 'BlockCannotReturn', _}, Escaped()).
