%% How large a result the runtime builds, the same limits as the interpreter's
%% (interp/runtime/limits.py; tests/test_differential_limits.py holds them equal): past
%% them, the `result_too_large` ArgumentError of stdlib/errors.tsv at once, instead of an
%% Erlang system_limit, an exhausted heap or a computation that never ends.
-module(beamtalk_limits).
-export([check_bits/1, check_elements/2, check_factorial/1, bit_length/1]).

-define(MAX_RESULT_BITS, 67108864).   % 1 bsl 26: an Integer of about 20 million digits
-define(MAX_ELEMENTS, 10000000).      % elements of a collection, characters of a String
-define(MAX_FACTORIAL, 100000).

-spec check_bits(integer()) -> ok.
%% @doc An Integer result of about Bits bits is allowed.
check_bits(Bits) when Bits > ?MAX_RESULT_BITS ->
    too_large([grouped(?MAX_RESULT_BITS), "-bit Integers"]);
check_bits(_) -> ok.

-spec check_elements(integer(), string()) -> ok.
%% @doc A collection (or String) of Count elements (What: "elements", "characters").
check_elements(Count, What) when Count > ?MAX_ELEMENTS ->
    too_large([grouped(?MAX_ELEMENTS), " ", What]);
check_elements(_, _) -> ok.

-spec check_factorial(integer()) -> ok.
check_factorial(N) when N > ?MAX_FACTORIAL -> too_large([grouped(?MAX_FACTORIAL), " factorial"]);
check_factorial(_) -> ok.

-spec bit_length(non_neg_integer()) -> non_neg_integer().
%% @doc The number of bits of a non-negative Integer (0 for 0), as Python's int.bit_length.
bit_length(0) -> 0;
bit_length(N) ->
    <<First, _/binary>> = Bytes = binary:encode_unsigned(N),
    (byte_size(Bytes) - 1) * 8 + first_bits(First).

first_bits(0) -> 0;
first_bits(B) -> 1 + first_bits(B bsr 1).

too_large(Limit) ->
    beamtalk_error:raise(result_too_large, #{limit => unicode:characters_to_binary(Limit)}).

%% 67108864 -> "67,108,864" (Python's format "{:,}").
grouped(N) -> group(lists:reverse(integer_to_list(N))).

group([A, B, C, D | Rest]) -> group([D | Rest]) ++ [$,, C, B, A];
group(Digits) -> lists:reverse(Digits).
