%% The primitive table of Integer: one function per `@primitive` selector of
%% stdlib/Integer.bt, named by the selector, receiver first (README.md, "Primitives").
-module(beamtalk_integer).
-export(['+'/2, '-'/2, '*'/2, '/'/2, '%'/2, '**'/2, 'div:'/2, 'rem:'/2, 'mod:'/2,
         'raisedTo:'/2, '<'/2, '>'/2, '<='/2, '>='/2, negated/1, abs/1, sign/1, sqrt/1,
         rounded/1, truncated/1, floor/1, ceiling/1, asInteger/1, asFloat/1,
         'printString:'/2, 'to:'/2, 'to:by:'/3, 'to:do:'/3, 'to:by:do:'/4,
         'gcd:'/2, 'lcm:'/2, factorial/1, isPrime/1, 'printPaddedWith:to:'/3,
         'bitAnd:'/2, 'bitOr:'/2, 'bitXor:'/2, 'bitShift:'/2, 'timesRepeat:'/2]).

'+'(A, B) -> beamtalk_number:add(A, B).
'-'(A, B) -> beamtalk_number:sub(A, B).
'*'(A, B) -> beamtalk_number:mul(A, B).
'/'(A, B) -> beamtalk_number:divide(A, B).
'%'(A, B) -> beamtalk_number:percent(A, B).
'**'(A, B) -> beamtalk_number:power(A, B).
'div:'(A, B) -> beamtalk_number:quo(A, B).
'rem:'(A, B) -> beamtalk_number:remainder(A, B).
'mod:'(A, B) -> beamtalk_number:mod(A, B).
'raisedTo:'(A, B) -> beamtalk_number:raised_to(A, B).
'<'(A, B) -> beamtalk_number:lt(A, B).
'>'(A, B) -> beamtalk_number:gt(A, B).
'<='(A, B) -> beamtalk_number:le(A, B).
'>='(A, B) -> beamtalk_number:ge(A, B).
negated(A) -> -A.
abs(A) -> erlang:abs(A).
sign(A) -> beamtalk_number:sign(A).
sqrt(A) -> beamtalk_number:sqrt(A).
rounded(A) -> A.
truncated(A) -> A.
floor(A) -> A.
ceiling(A) -> A.
asInteger(A) -> A.
asFloat(A) -> beamtalk_number:as_float(A).
'printString:'(A, Base) -> beamtalk_number:print_radix(A, Base).
'to:'(A, Stop) -> beamtalk_interval:new('to:', A, Stop, 1).
'to:by:'(A, Stop, Step) -> beamtalk_interval:new('to:by:', A, Stop, Step).
'to:do:'(A, Stop, Block) -> beamtalk_interval:loop('to:do:', A, Stop, 1, Block).
'to:by:do:'(A, Stop, Step, Block) -> beamtalk_interval:loop('to:by:do:', A, Stop, Step, Block).

integer_arg(_, B) when is_integer(B) -> B;
integer_arg(Selector, B) ->
    beamtalk_error:raise(expects_integer, #{selector => Selector,
                                            kind => beamtalk_value:kind_name(B)}).

%% @doc `gcd:`: the greatest common divisor, never negative.
'gcd:'(A, B) -> gcd(erlang:abs(A), erlang:abs(integer_arg('gcd:', B))).
%% @doc `lcm:`: the least common multiple, never negative (0 if either is 0).
'lcm:'(A, B0) ->
    B = integer_arg('lcm:', B0),
    case A =:= 0 orelse B =:= 0 of
        true -> 0;
        false -> erlang:abs(A div gcd(erlang:abs(A), erlang:abs(B)) * B)
    end.

gcd(A, 0) -> A;
gcd(A, B) -> gcd(B, A rem B).

%% @doc `factorial`: an ArgumentError for negative receivers.
factorial(N) when N < 0 ->
    beamtalk_error:raise(negative_receiver, #{selector => factorial, value => N});
factorial(N) -> beamtalk_limits:check_factorial(N), product(1, N).

%% Split products keep the multiplications balanced (much faster for large N).
product(Low, High) when High - Low < 8 -> lists:foldl(fun erlang:'*'/2, 1, lists:seq(Low, High));
product(Low, High) -> Mid = (Low + High) div 2, product(Low, Mid) * product(Mid + 1, High).

-define(SMALL_PRIMES, [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71]).

%% @doc `isPrime`: Miller-Rabin with the first 20 primes as bases (exact far beyond 2^64).
isPrime(N) when N < 2 -> false;
isPrime(N) ->
    case [P || P <- ?SMALL_PRIMES, N rem P =:= 0] of
        [P | _] -> N =:= P;
        [] ->
            {D, S} = odd_part(N - 1, 0),
            lists:all(fun(A) -> witness_passes(A, D, S, N) end, ?SMALL_PRIMES)
    end.

odd_part(D, S) when D rem 2 =:= 0 -> odd_part(D div 2, S + 1);
odd_part(D, S) -> {D, S}.

witness_passes(A, D, S, N) ->
    X = pow_mod(A, D, N),
    X =:= 1 orelse X =:= N - 1 orelse squares_reach(X, S - 1, N).

squares_reach(_, 0, _) -> false;
squares_reach(X, K, N) ->
    Y = X * X rem N,
    Y =:= N - 1 orelse squares_reach(Y, K - 1, N).

pow_mod(_, 0, _) -> 1;
pow_mod(B, E, M) when E rem 2 =:= 0 -> H = pow_mod(B, E div 2, M), H * H rem M;
pow_mod(B, E, M) -> B * pow_mod(B, E - 1, M) rem M.

%% @doc `printPaddedWith: $0 to: 3`: the sign first, then padding up to width characters.
'printPaddedWith:to:'(N, {'$char', Pad}, Width0) ->
    Width = integer_arg('printPaddedWith:to:', Width0),
    beamtalk_limits:check_elements(Width, "characters"),
    Sign = case N < 0 of true -> "-"; false -> "" end,
    Digits = integer_to_list(erlang:abs(N)),
    Padding = lists:duplicate(erlang:max(0, Width - length(Sign) - length(Digits)), Pad),
    unicode:characters_to_binary([Sign, Padding, Digits]);
'printPaddedWith:to:'(_, Pad, _) ->
    beamtalk_error:raise(expects_character, #{selector => 'printPaddedWith:to:',
                                              kind => beamtalk_value:kind_name(Pad)}).

'bitAnd:'(A, B) -> A band integer_arg('bitAnd:', B).
'bitOr:'(A, B) -> A bor integer_arg('bitOr:', B).
'bitXor:'(A, B) -> A bxor integer_arg('bitXor:', B).
%% @doc Shift left for positive n, arithmetic shift right for negative n.
'bitShift:'(A, N0) ->
    case integer_arg('bitShift:', N0) of
        N when N >= 0 ->
            A =:= 0 orelse beamtalk_limits:check_bits(beamtalk_limits:bit_length(erlang:abs(A)) + N),
            A bsl N;
        N -> A bsr (-N)
    end.

%% @doc `timesRepeat:` when not inlined; answers the receiver.
'timesRepeat:'(N, Block) ->
    [beamtalk_block:call(Block, []) || _ <- lists:seq(1, N)],
    N.
