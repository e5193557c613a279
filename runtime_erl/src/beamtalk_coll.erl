%% Checks and errors shared by the collection primitive tables.
-module(beamtalk_coll).
-export([index/3, count/2, empty/0, integer_arg/2, string_arg/2]).

-spec index(atom(), term(), non_neg_integer()) -> pos_integer().
%% @doc A 1-based Integer index within 1..Size, else TypeError or IndexOutOfBounds.
index(Selector, I, Size) ->
    integer_arg(Selector, I),
    case I >= 1 andalso I =< Size of
        true -> I;
        false -> beamtalk_error:raise(index_out_of_bounds, #{index => I, size => Size})
    end.

-spec count(atom(), term()) -> non_neg_integer().
%% @doc A non-negative Integer count (`first: take: drop:`), else TypeError/ArgumentError.
count(Selector, N) ->
    integer_arg(Selector, N),
    case N >= 0 of
        true -> N;
        false -> beamtalk_error:raise(negative_count, #{selector => Selector, value => N})
    end.

-spec empty() -> no_return().
%% @doc EmptyCollection: `first`, `last`, `max` with nothing to give.
empty() -> beamtalk_error:raise(empty_collection, #{}).

-spec integer_arg(atom(), term()) -> integer().
integer_arg(_, N) when is_integer(N) -> N;
integer_arg(Selector, N) ->
    beamtalk_error:raise(expects_integer, #{selector => Selector,
                                            kind => beamtalk_value:kind_name(N)}).

-spec string_arg(atom(), term()) -> binary().
string_arg(_, S) when is_binary(S) -> S;
string_arg(Selector, S) ->
    beamtalk_error:raise(expects_string, #{selector => Selector,
                                           kind => beamtalk_value:kind_name(S)}).
