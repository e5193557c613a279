%% The primitive table of List (proper lists) and of `List class`.  "Modifying" messages
%% answer new Lists; blocks offered one argument may take none (LANGUAGE.md 2.3).
-module(beamtalk_list).
-export([displayString/1]).
-export([size/1, first/1, last/1, 'first:'/2, 'last:'/2, 'take:'/2, 'drop:'/2, 'at:'/2,
         'at:put:'/3, 'add:'/2, 'addFirst:'/2, 'addAll:'/2, ','/2, '++'/2, 'remove:'/2,
         'includes:'/2, 'indexOf:'/2, 'copyFrom:to:'/3, reversed/1, sort/1, 'sort:'/2,
         'sortBy:'/2, 'do:'/2, 'doWithIndex:'/2, 'collect:'/2, 'select:'/2, 'reject:'/2,
         'detect:'/2, 'detect:ifNone:'/3, sum/1, max/1, min/1, flatten/1, 'flatMap:'/2,
         'zip:'/2, 'groupBy:'/2, unique/1, asList/1, 'join:'/2, 'class withAll:'/1, 'class withAll:'/2,
         elements/3]).

size(L) -> length(L).
first([]) -> beamtalk_coll:empty();
first([X | _]) -> X.
last([]) -> beamtalk_coll:empty();
last(L) -> lists:last(L).

'first:'(L, N) -> lists:sublist(L, beamtalk_coll:count('first:', N)).
'take:'(L, N) -> lists:sublist(L, beamtalk_coll:count('take:', N)).
'last:'(L, N0) ->
    N = beamtalk_coll:count('last:', N0),
    lists:nthtail(erlang:max(0, length(L) - N), L).
'drop:'(L, N0) ->
    N = beamtalk_coll:count('drop:', N0),
    lists:nthtail(erlang:min(N, length(L)), L).

'at:'(L, I) -> lists:nth(beamtalk_coll:index('at:', I, length(L)), L).
'at:put:'(L, I0, V) ->
    I = beamtalk_coll:index('at:put:', I0, length(L)),
    {Before, [_ | After]} = lists:split(I - 1, L),
    Before ++ [V | After].

'add:'(L, V) -> L ++ [V].
'addFirst:'(L, V) -> [V | L].
'addAll:'(L, C) -> L ++ elements('addAll:', C, false).
','(L, C) -> L ++ elements(',', C, false).
'++'(L, C) -> L ++ elements('++', C, false).

%% @doc The first element `=` to the value removed; absent: unchanged.
'remove:'(L, V) -> remove_first(L, V).
remove_first([], _) -> [];
remove_first([X | Rest], V) when X =:= V -> Rest;
remove_first([X | Rest], V) -> [X | remove_first(Rest, V)].

'includes:'(L, V) -> lists:any(fun(X) -> X =:= V end, L).
'indexOf:'(L, V) -> index_of(L, V, 1).
index_of([], _, _) -> 0;
index_of([X | _], V, I) when X =:= V -> I;
index_of([_ | Rest], V, I) -> index_of(Rest, V, I + 1).

%% @doc `copyFrom: n + 1 to: n` is the empty copy at the end, as in Smalltalk.
'copyFrom:to:'(L, Start, Stop) ->
    beamtalk_coll:integer_arg('copyFrom:to:', Start),
    beamtalk_coll:integer_arg('copyFrom:to:', Stop),
    N = length(L),
    Bad = fun(I) -> beamtalk_error:raise(index_out_of_bounds, #{index => I, size => N}) end,
    if Start < 1; Start > N + 1 -> Bad(Start);
       Stop > N; Stop < Start - 1 -> Bad(Stop);
       true -> lists:sublist(L, Start, Stop - Start + 1)
    end.

reversed(L) -> lists:reverse(L).
sort(L) -> beamtalk_order:sort(L).

%% @doc `sort: [:a :b | a <= b]`: the block says whether a may come before b; stable.
'sort:'(L, Block) ->
    lists:sort(fun(A, B) -> beamtalk_block:truth('sort:', Block, [A, B]) end, L).

%% @doc `sortBy: [:e | key]`: ascending keys in the standard order; stable.
'sortBy:'(L, Block) ->
    Keyed = [{beamtalk_block:cull_answer(Block, E), E} || E <- L],
    [E || {_, E} <- lists:sort(fun({K1, _}, {K2, _}) -> beamtalk_order:compare(K1, K2) =< 0 end,
                               Keyed)].

'do:'(L, Block) -> each(Block, L), L.

%% The block on each element, keeping no results.
each(Block, [E | Rest]) -> beamtalk_block:cull(Block, E), each(Block, Rest);
each(_, []) -> ok.
'doWithIndex:'(L, Block) ->
    lists:foldl(fun(E, I) -> beamtalk_block:call(Block, [E, I]), I + 1 end, 1, L),
    L.
'collect:'(L, Block) -> [beamtalk_block:cull(Block, E) || E <- L].
'select:'(L, Block) -> [E || E <- L, truth('select:', Block, E)].
'reject:'(L, Block) -> [E || E <- L, not truth('reject:', Block, E)].

truth(Selector, Block, E) ->
    case beamtalk_block:cull_answer(Block, E) of
        true -> true;
        false -> false;
        Other -> beamtalk_error:raise(expects_boolean_block,
                                      #{selector => Selector,
                                        kind => beamtalk_value:kind_name(Other)})
    end.

'detect:'(L, Block) ->
    case lists:search(fun(E) -> truth('detect:', Block, E) end, L) of
        {value, E} -> E;
        false -> beamtalk_coll:empty()
    end.
'detect:ifNone:'(L, Block, None) ->
    case lists:search(fun(E) -> truth('detect:ifNone:', Block, E) end, L) of
        {value, E} -> E;
        false -> beamtalk_block:call(None, [])
    end.

%% @doc The elements added with `+`; 0 when empty.
sum([]) -> 0;
sum([First | Rest]) ->
    lists:foldl(fun(E, Acc) -> beamtalk_builtin_send:plus(Acc, E) end, First, Rest).

%% @doc `max`/`min` with `<` (ties keep the first); EmptyCollection when empty.
max([]) -> beamtalk_coll:empty();
max([First | Rest]) ->
    lists:foldl(fun(E, Best) -> pick(beamtalk_builtin_send:lt(Best, E), E, Best) end, First, Rest).
min([]) -> beamtalk_coll:empty();
min([First | Rest]) ->
    lists:foldl(fun(E, Best) -> pick(beamtalk_builtin_send:lt(E, Best), E, Best) end, First, Rest).

pick(true, E, _) -> E;
pick(false, _, Best) -> Best;
pick(Other, _, _) ->
    beamtalk_error:raise(expects_boolean_block, #{selector => '<',
                                                  kind => beamtalk_value:kind_name(Other)}).

%% @doc Nested Lists spliced in, at any depth.
flatten(L) -> lists:flatmap(fun(E) when is_list(E) -> flatten(E); (E) -> [E] end, L).

'flatMap:'(L, Block) ->
    lists:flatmap(fun(E) ->
                          R = beamtalk_block:cull_answer(Block, E),
                          case is_collection(R) of
                              true -> elements('flatMap:', R, false);
                              false -> beamtalk_error:raise(expects_collection_block,
                                                            #{selector => 'flatMap:',
                                                              kind => beamtalk_value:kind_name(R)})
                          end
                  end, L).

%% @doc Tuples of corresponding elements, up to the shorter size.
'zip:'(L, C) -> zip(L, elements('zip:', C, false)).
zip([X | Xs], [Y | Ys]) -> [{X, Y} | zip(Xs, Ys)];
zip(_, _) -> [].

%% @doc A Dictionary from each block answer to the List of elements giving it.
'groupBy:'(L, Block) ->
    lists:foldr(fun(E, Acc) ->
                        K = beamtalk_block:cull_answer(Block, E),
                        Acc#{K => [E | maps:get(K, Acc, [])]}
                end, #{}, L).

%% @doc The first occurrence of each element, in order.
unique(L) -> unique(L, #{}).
unique([], _) -> [];
unique([E | Rest], Seen) ->
    case maps:is_key(E, Seen) of
        true -> unique(Rest, Seen);
        false -> [E | unique(Rest, Seen#{E => true})]
    end.

asList(L) -> L.

'join:'(L, Sep0) ->
    Sep = beamtalk_coll:string_arg('join:', Sep0),
    [case is_binary(E) of
         true -> ok;
         false -> beamtalk_error:raise(expects_string_elements,
                                       #{selector => 'join:', kind => beamtalk_value:kind_name(E)})
     end || E <- L],
    iolist_to_binary(lists:join(Sep, L)).

%% @doc `List withAll:`: the elements of a collection (or a String's Characters).
'class withAll:'(C) -> elements('withAll:', C, true).

is_collection(X) when is_list(X); is_map(X) -> true;
is_collection({'$interval', _, _, _}) -> true;
is_collection({'$set', _}) -> true;
is_collection(X) -> is_tuple_value(X).

%% A Tuple value: class_name/1 is only for values that are not classes, so a class term
%% (`{'$class', Name}`) is asked through class_of/1.
is_tuple_value(X) -> is_tuple(X) andalso beamtalk_value:class_of(X) =:= {'$class', 'Tuple'}.

-spec elements(atom(), term(), boolean()) -> list().
%% @doc The elements of a collection argument in iteration order, or a TypeError; with
%% Strings true, a String counts as its Characters.
elements(_, L, _) when is_list(L) -> L;
elements(_, M, _) when is_map(M) -> [V || {_, V} <- beamtalk_order:sorted_pairs(M)];
elements(_, {'$interval', _, _, _} = I, _) -> beamtalk_interval:values(I);
elements(_, {'$set', _} = S, _) -> beamtalk_order:sort(beamtalk_value:set_elements(S));
elements(_, S, true) when is_binary(S) -> beamtalk_string:asList(S);
elements(Selector, X, _) ->
    case is_tuple_value(X) of
        true -> tuple_to_list(X);
        false -> beamtalk_error:raise(expects_collection,
                                      #{selector => Selector, kind => beamtalk_value:kind_name(X)})
    end.

%% @doc The user-facing text (LANGUAGE.md 4), elements by displayString.
displayString(X) -> beamtalk_print:display_string(X).

%% As the registry binds class-side primitives: the class first.
'class withAll:'(_Class, C) -> 'class withAll:'(C).
