%% EUnit: the block-taking primitives of the collections and String (the differential
%% tests cover the rest; blocks cannot travel there).
-module(beamtalk_collection_tests).
-include_lib("eunit/include/eunit.hrl").

-define(raises(Class, Text, Expr),
        ?assertError({'$exc', Class, #{'$messageText' := Text}}, Expr)).

list_enumeration_test() ->
    L = [3, 1, 2],
    ?assertEqual([6, 2, 4], beamtalk_list:'collect:'(L, fun(X) -> X * 2 end)),
    ?assertEqual([7, 7, 7], beamtalk_list:'collect:'(L, fun() -> 7 end)),  % 0-arg block: culled
    ?assertEqual([3, 2], beamtalk_list:'select:'(L, fun(X) -> X > 1 end)),
    ?assertEqual([1], beamtalk_list:'reject:'(L, fun(X) -> X > 1 end)),
    ?assertEqual(2, beamtalk_list:'detect:'(L, fun(X) -> X rem 2 =:= 0 end)),
    ?raises('EmptyCollection', <<"Collection is empty">>,
            beamtalk_list:'detect:'(L, fun(X) -> X > 5 end)),
    ?assertEqual(none, beamtalk_list:'detect:ifNone:'(L, fun(X) -> X > 5 end, fun() -> none end)),
    ?raises('TypeError', <<"#select: expects a block answering a Boolean, got an Integer">>,
            beamtalk_list:'select:'(L, fun(X) -> X end)),
    Self = self(),
    ?assertEqual(L, beamtalk_list:'doWithIndex:'(L, fun(E, I) -> Self ! {E, I} end)),
    ?assertEqual([{3, 1}, {1, 2}, {2, 3}], [receive M -> M end || _ <- L]),
    ?raises('ArityError', <<"Block expects 1 argument, got 2">>,
            beamtalk_list:'doWithIndex:'(L, fun(_) -> ok end)).

list_sorting_test() ->
    ?assertEqual([3, 2, 1], beamtalk_list:'sort:'([1, 3, 2], fun(A, B) -> A >= B end)),
    %% stable: equal keys keep their order
    Pairs = [{b, 1}, {a, 2}, {c, 1}],
    ?assertEqual([{b, 1}, {c, 1}, {a, 2}],
                 beamtalk_list:'sortBy:'(Pairs, fun({_, K}) -> K end)),
    ?assertEqual(#{true => [1, 3], false => [2]},
                 beamtalk_list:'groupBy:'([1, 2, 3], fun(X) -> X rem 2 =:= 1 end)),
    ?assertEqual([1, 10, 2, 20], beamtalk_list:'flatMap:'([1, 2], fun(X) -> [X, X * 10] end)),
    ?raises('TypeError', <<"#flatMap: expects a block answering a collection, got an Integer">>,
            beamtalk_list:'flatMap:'([1], fun(X) -> X end)).

dictionary_blocks_test() ->
    D = #{b => 2, a => 1},
    ?assertEqual(#{a => 10, b => 20}, beamtalk_dictionary:'collect:'(D, fun(V) -> V * 10 end)),
    ?assertEqual(#{b => 2}, beamtalk_dictionary:'select:'(D, fun(V) -> V > 1 end)),
    ?assertEqual(#{a => 1}, beamtalk_dictionary:'reject:'(D, fun(V) -> V > 1 end)),
    ?assertEqual(missing, beamtalk_dictionary:'at:ifAbsent:'(D, c, fun() -> missing end)),
    Self = self(),
    beamtalk_dictionary:'keysAndValuesDo:'(D, fun(K, V) -> Self ! {K, V} end),
    ?assertEqual([{a, 1}, {b, 2}], [receive M -> M end || _ <- [1, 2]]),  % standard order
    ?raises('KeyNotFound', <<"Key not found: #c">>, beamtalk_dictionary:'at:'(D, c)).

tuple_and_interval_blocks_test() ->
    ?assertEqual([2, 4], beamtalk_tuple:'collect:'({1, 2}, fun(X) -> X * 2 end)),
    ?assertEqual([2], beamtalk_tuple:'select:'({1, 2}, fun(X) -> X > 1 end)),
    I = beamtalk_integer:'to:'(1, 4),
    ?assertEqual([1, 4, 9, 16], beamtalk_interval:'collect:'(I, fun(X) -> X * X end)),
    ?assertEqual(10, beamtalk_interval:'inject:into:'(I, 0, fun(A, X) -> A + X end)),
    Self = self(),
    ?assertEqual(1.0, beamtalk_float:'to:by:do:'(1.0, 2.0, 0.5, fun(X) -> Self ! X end)),
    ?assertEqual([1.0, 1.5, 2.0], [receive M -> M end || _ <- [1, 2, 3]]).

string_blocks_test() ->
    Up = fun({'$char', C}) -> {'$char', C - 32} end,
    ?assertEqual(<<"ABC">>, beamtalk_string:'collect:'(<<"abc">>, Up)),
    ?assertEqual([97, 98], beamtalk_string:'collect:'(<<"ab">>, fun({'$char', C}) -> C end)),
    ?assertEqual(<<"ac">>, beamtalk_string:'select:'(<<"abc">>,
                                                    fun({'$char', C}) -> C =/= $b end)),
    ?assertEqual({'$char', 16#e9}, beamtalk_string:'at:'(<<"aé"/utf8>>, 2)),
    ?assertEqual(2, beamtalk_string:size(<<"aé"/utf8>>)).

-define(raises_any(Class, Expr), ?assertError({'$exc', Class, _}, Expr)).

block_primitives_test() ->
    ?assertEqual(3, beamtalk_block:'value:value:'(fun(A, B) -> A + B end, 1, 2)),
    ?assertEqual(2, beamtalk_block:numArgs(fun(_, _) -> ok end)),
    ?assertEqual(6, beamtalk_block:'valueWithArguments:'(fun(A, B, C) -> A * B * C end, [1, 2, 3])),
    ?raises('ArityError', <<"Block expects 2 arguments, got 3">>,
            beamtalk_block:'valueWithArguments:'(fun(A, B) -> A + B end, [1, 2, 3])),
    ?assertEqual(1, beamtalk_block:'valueWithArguments:'(fun(A) -> A end, {1})),
    ?raises('TypeError', <<"#valueWithArguments: expects a List, got a Set">>,
            beamtalk_block:'valueWithArguments:'(fun(A) -> A end, beamtalk_value:set([1]))),
    Counter = counters:new(1, []),
    Cond = fun() -> counters:get(Counter, 1) < 3 end,
    ?assertEqual(nil, beamtalk_block:'whileTrue:'(Cond, fun() -> counters:add(Counter, 1, 1) end)),
    ?assertEqual(3, counters:get(Counter, 1)),
    ?raises('TypeError', <<"#whileFalse: expects a Boolean, got nil">>,
            beamtalk_block:'whileFalse:'(fun() -> nil end, fun() -> ok end)).

object_primitives_test() ->
    ?assert(beamtalk_object:'='(-0.0, 0.0)),
    ?assertNot(beamtalk_object:'='(1, 1.0)),
    ?assert(beamtalk_object:'=='(1, 1.0)),
    ?assert(beamtalk_object:'=='([1, #{2 => {3.0}}], [1.0, #{2.0 => {3}}])),
    ?assertNot(beamtalk_object:'=='(1 bsl 53 + 1, float(1 bsl 53))),
    ?assertEqual(beamtalk_object:hash([-0.0]), beamtalk_object:hash([0.0])),
    ?assertEqual({'$class', 'Integer'}, beamtalk_object:class(3)),
    ?assertEqual({'$assoc', a, 1}, beamtalk_object:'->'(a, 1)),
    ?raises('Error', <<"boom 3">>, beamtalk_object:'error:'(nil, <<"boom 3">>)),
    ?raises('TypeError', <<"#< compares numbers, Strings, Symbols or Characters, not nil">>,
            beamtalk_object:'<'(nil, 1)),
    ?raises_any('ArityError', beamtalk_block:value(fun(_) -> ok end)).

%% Equal keys and elements (0.0 and -0.0): the one already there stays, as on the
%% interpreter; a Dictionary takes the later value.
equal_keys_keep_the_first_test() ->
    P = fun(X) -> beamtalk_print:print_string(X) end,
    %% OTP 25's compiler shares equal literals module-wide by =:= (so [0.0] and [-0.0] elsewhere
    %% in this module are one literal) and folds constant expressions: make both zeros at run time.
    Z = float(erlang:system_time() * 0),
    N = Z * -1.0,
    ?assertEqual(<<"Set(0.0)">>, P(beamtalk_set:'class withAll:'([Z, N]))),
    ?assertEqual(<<"Set(-0.0)">>, P(beamtalk_set:'class withAll:'([N, Z]))),
    ?assertEqual(<<"Set(0.0)">>,
                 P(beamtalk_set:'union:'(beamtalk_value:set([Z]), beamtalk_value:set([N])))),
    ?assertEqual(<<"Set(0.0)">>, P(beamtalk_set:'add:'(beamtalk_value:set([Z]), N))),
    ?assertEqual(<<"#{0.0 => 2}">>, P(beamtalk_dictionary:'merge:'(#{Z => 1}, #{N => 2}))),
    ?assertEqual(<<"#{0.0 => 3}">>, P(beamtalk_dictionary:'at:put:'(#{Z => 1}, N, 3))).
