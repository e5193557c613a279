%% EUnit: exception values and texts from the shared table.
-module(beamtalk_error_tests).
-include_lib("eunit/include/eunit.hrl").

text_test() ->
    ?assertEqual(<<"Index 5 out of bounds 1..2">>,
                 beamtalk_error:text(index_out_of_bounds, #{index => 5, size => 2})),
    ?assertEqual(<<"#+ expects a Number, got a String">>,
                 beamtalk_error:text(expects_number, #{selector => '+', kind => <<"a String">>})).

new_test() ->
    E = beamtalk_error:new(division_by_zero, #{}),
    ?assertEqual('ZeroDivide', beamtalk_value:class_name(E)),
    ?assertEqual(zero_divide, beamtalk_error:kind(E)),
    ?assertEqual(<<"Division by zero">>, beamtalk_error:message_text(E)),
    ?assertEqual(nil, beamtalk_error:selector(E)),
    ?assertEqual(<<"ERROR: zero_divide: Division by zero">>, beamtalk_error:error_line(E)).

context_and_fields_test() ->
    E = beamtalk_error:new(does_not_understand, #{receiver => <<"3">>, selector => foo},
                           #{selector => foo, receiver => 3, arguments => []}),
    ?assertEqual(<<"3 does not understand #foo">>, beamtalk_error:message_text(E)),
    ?assertEqual(3, beamtalk_error:receiver(E)),
    ?assertEqual([], beamtalk_error:arguments(E)),
    E2 = beamtalk_error:with_field(E, retries, 2),
    ?assertEqual(2, beamtalk_error:field(E2, retries)),
    ?assertEqual(nil, beamtalk_error:field(E, retries)).

raise_test() ->
    ?assertError({'$exc', 'IndexOutOfBounds', _},
                 beamtalk_error:raise(index_out_of_bounds, #{index => 0, size => 0})),
    ?assertError({missing_error_binding, index_out_of_bounds, size},
                 beamtalk_error:raise(index_out_of_bounds, #{index => 0})).

kind_test() ->
    K = fun(C) -> beamtalk_error:kind(beamtalk_error:of_class(C, nil)) end,
    ?assertEqual(http_error, K('HTTPError')),
    ?assertEqual(agent_error, K('AgentError')),
    ?assertEqual(io_error, K('IOError')),
    ?assertEqual(does_not_understand, K('DoesNotUnderstand')),
    ?assertEqual(arity_mismatch, K('ArityError')),  % declared by stdlib/ArityError.bt
    ?assertEqual(timeout, K('TimeoutError')),
    Bare = beamtalk_error:of_class('Error', nil),
    ?assertEqual(<<"ERROR: error">>, beamtalk_error:error_line(Bare)),
    %% an empty text is no text (issue 12)
    ?assertEqual(<<"ERROR: error">>,
                 beamtalk_error:error_line(beamtalk_error:of_class('Error', <<>>))).

%% An Erlang failure no rule covers is an Error of kind internal_error (the interpreter's
%% kind for its own failures), while `Error new` keeps kind error.
internal_error_kind_test() ->
    E = beamtalk_handlers:to_exception(badarg, []),
    ?assertEqual('Error', beamtalk_value:class_name(E)),
    ?assertEqual(internal_error, beamtalk_error:kind(E)),
    ?assertEqual(<<"ERROR: internal_error: internal error: badarg">>,
                 beamtalk_error:error_line(E)),
    ?assertEqual(error, beamtalk_error:kind(beamtalk_error:of_class('Error', <<"x">>))).
