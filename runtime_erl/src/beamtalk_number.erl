%% Integer and Float primitives shared by both classes (LANGUAGE.md 3.6): arithmetic,
%% comparison, rounding, conversion and radix printing.  The receiver is a number (dispatch
%% guarantees it); arguments are checked here.  The BEAM raises badarith for float overflow
%% and never makes NaN or infinity, so float results are finite by construction: a failing
%% float operation is an ArithmeticError (`Float overflow` or `Undefined result`), and
%% divisors are checked first (ZeroDivide).
-module(beamtalk_number).
-export([add/2, sub/2, mul/2, divide/2, remainder/2, percent/2, quo/2, mod/2, power/2, raised_to/2,
         lt/2, gt/2, le/2, ge/2,
         negated/1, abs/1, sign/1, sqrt/1, rounded/1, truncated/1, floor/1, ceiling/1,
         as_integer/1, as_float/1, print_radix/2, ratio_to_float/2]).

-define(EXACT_FLOAT_LIMIT, 9007199254740992).  % 2^53: ints up to this convert exactly
-define(EXACT_POWER_BITS, 1000000).  % beyond this, `a ** -n` is computed with floats

%% ---------------------------------------------------------------- argument checks

number_arg(_, B) when is_integer(B); is_float(B) -> B;
number_arg(Selector, B) ->
    beamtalk_error:raise(expects_number, #{selector => Selector,
                                           kind => beamtalk_value:kind_name(B)}).

%% Run a float computation; the BEAM's badarith (overflow, or an int too large for a
%% float) becomes `Float overflow`.
float_op(Fun) ->
    try Fun()
    catch error:badarith -> overflow();
          error:badarg -> overflow()
    end.

overflow() -> beamtalk_error:raise(float_overflow, #{}).
undefined() -> beamtalk_error:raise(undefined_result, #{}).
zero_divide() -> beamtalk_error:raise(division_by_zero, #{}).

nonzero(B) when B == 0 -> zero_divide();  % also -0.0
nonzero(_) -> ok.

%% ---------------------------------------------------------------- arithmetic

-spec add(number(), term()) -> number().
%% @doc `+`.
add(A, B) when is_integer(A), is_integer(B) -> A + B;
add(A, B) -> C = number_arg('+', B), float_op(fun() -> A + C end).

-spec sub(number(), term()) -> number().
%% @doc `-`.
sub(A, B) when is_integer(A), is_integer(B) -> A - B;
sub(A, B) -> C = number_arg('-', B), float_op(fun() -> A - C end).

-spec mul(number(), term()) -> number().
%% @doc `*`.
mul(A, B) when is_integer(A), is_integer(B) -> A * B;
mul(A, B) -> C = number_arg('*', B), float_op(fun() -> A * C end).

-spec divide(number(), term()) -> float().
%% @doc `/`: the Float nearest the exact quotient (also beyond 2^53).
divide(A, B0) ->
    B = number_arg('/', B0),
    nonzero(B),
    case exact_in_float(A) andalso exact_in_float(B) of
        true -> float_op(fun() -> A / B end);
        false when is_integer(A), is_integer(B) ->
            %% int/int keeps the sign of a zero quotient (0 / -big is -0.0)
            Q = ratio_to_float(erlang:abs(A), erlang:abs(B)),
            case (A < 0) =/= (B < 0) of
                true -> -Q;
                false -> Q
            end;
        false ->
            {NA, DA} = rational(A),
            {NB, DB} = rational(B),
            signed_ratio(NA * DB, DA * NB)
    end.

exact_in_float(X) when is_float(X) -> true;
exact_in_float(X) -> X >= -?EXACT_FLOAT_LIMIT andalso X =< ?EXACT_FLOAT_LIMIT.

%% The exact value of a number as Numerator/Denominator (Denominator > 0).
rational(X) when is_integer(X) -> {X, 1};
rational(X) when is_float(X) ->
    <<S:1, E:11, M:52>> = <<X/float>>,
    {Mant, Exp} = case E of
                      0 -> {M, -1074};
                      _ -> {M bor (1 bsl 52), E - 1075}
                  end,
    Signed = case S of 1 -> -Mant; 0 -> Mant end,
    case Exp >= 0 of
        true -> {Signed bsl Exp, 1};
        false -> {Signed, 1 bsl (-Exp)}
    end.

signed_ratio(N, D) when D < 0 -> signed_ratio(-N, -D);
signed_ratio(N, D) when N < 0 -> -ratio_to_float(-N, D);
signed_ratio(N, D) -> ratio_to_float(N, D).

-spec ratio_to_float(non_neg_integer(), pos_integer()) -> float().
%% @doc N/D correctly rounded (half to even) to a double; `Float overflow` past the range.
ratio_to_float(0, _) -> 0.0;
ratio_to_float(N, D) ->
    %% scale so that the integer quotient has at least 55 bits, then round to 53 bits
    %% (fewer for subnormals) with the remainder as the sticky bit
    Shift = erlang:max(0, 55 + bit_length(D) - bit_length(N)),
    {Q, R} = {(N bsl Shift) div D, (N bsl Shift) rem D},
    L = bit_length(Q),
    Exp = erlang:max(L - 53 - Shift, -1074),  % exponent of the last kept bit
    Drop = Exp + Shift,
    Kept = Q bsr Drop,
    Rest = Q band ((1 bsl Drop) - 1),
    Half = 1 bsl (Drop - 1),
    M = if Rest > Half; Rest =:= Half, R =/= 0 -> Kept + 1;
           Rest =:= Half, R =:= 0 -> Kept + (Kept band 1);
           true -> Kept
        end,
    scale(M, Exp).

%% M * 2^E for an M that fits in a double exactly (at most 54 bits): exact products.
scale(0, _) -> 0.0;
scale(M, E) when E >= 0 -> float_op(fun() -> float(M) * pow2(E) end);
scale(M, E) when E >= -1022 -> float(M) * pow2(E);
scale(M, E) -> float(M) * pow2(E + 1022) * pow2(-1022).

pow2(E) when E >= 0, E =< 1023 -> float(1 bsl E);
pow2(E) when E > 1023 -> float_op(fun() -> float(1 bsl E) end);
pow2(E) when E >= -1022 -> 1.0 / float(1 bsl (-E)).

bit_length(0) -> 0;
bit_length(N) -> bit_length(N, 0).
bit_length(N, Acc) when N >= 16#10000 -> bit_length(N bsr 16, Acc + 16);
bit_length(0, Acc) -> Acc;
bit_length(N, Acc) -> bit_length(N bsr 1, Acc + 1).

-spec remainder(number(), term()) -> number().
%% @doc `rem:`: the remainder of truncated division (the dividend's sign).
remainder(A, B) -> remainder_by('rem:', A, B).

-spec percent(number(), term()) -> number().
%% @doc `%`: the same as `rem:`.
percent(A, B) -> remainder_by('%', A, B).

remainder_by(Selector, A, B0) ->
    B = number_arg(Selector, B0),
    nonzero(B),
    case is_integer(A) andalso is_integer(B) of
        true -> A rem B;
        false -> float_op(fun() -> math:fmod(float(A), float(B)) end)
    end.

-spec quo(number(), term()) -> integer().
%% @doc `div:`: the quotient truncated toward zero, an Integer.
quo(A, B0) ->
    B = number_arg('div:', B0),
    nonzero(B),
    case is_integer(A) andalso is_integer(B) of
        true -> A div B;
        false ->
            {NA, DA} = rational(A),
            {NB, DB} = rational(B),
            {N, D} = {NA * DB, DA * NB},
            case D < 0 of
                true -> (-N) div (-D);
                false -> N div D
            end
    end.

-spec mod(number(), term()) -> number().
%% @doc `mod:`: the remainder of floored division (the divisor's sign).
mod(A, B0) ->
    B = number_arg('mod:', B0),
    nonzero(B),
    case is_integer(A) andalso is_integer(B) of
        true -> ((A rem B) + B) rem B;
        false ->
            X = float_op(fun() -> float(A) end),
            Y = float_op(fun() -> float(B) end),
            M = math:fmod(X, Y),
            if M == 0 -> copysign(0.0, Y);
               (Y < 0) =/= (M < 0) -> M + Y;
               true -> M
            end
    end.

copysign(X, Y) ->
    <<_:1, Rest:63>> = <<X/float>>,
    <<S:1, _:63>> = <<Y/float>>,
    <<Z/float>> = <<S:1, Rest:63>>,
    Z.

-spec power(number(), term()) -> number().
%% @doc `**`: an Integer for Integer ** non-negative Integer, else a Float.
power(A, B) -> power('**', A, B).

-spec raised_to(number(), term()) -> number().
%% @doc `raisedTo:`: the same as `**`.
raised_to(A, B) -> power('raisedTo:', A, B).

power(Selector, A, B0) ->
    B = number_arg(Selector, B0),
    if is_integer(A), is_integer(B), B >= 0 ->
           erlang:abs(A) =< 1 orelse
               beamtalk_limits:check_bits((beamtalk_limits:bit_length(erlang:abs(A)) - 1) * B),
           int_pow(A, B);
       is_integer(A), is_integer(B) ->
           nonzero(A),
           case bit_length(erlang:abs(A)) * -B =< ?EXACT_POWER_BITS of
               true -> signed_ratio(1, int_pow(A, -B));
               false ->
                   case exact_in_float(A) of
                       true -> float_pow(A, B);
                       false -> copysign(0.0, case B rem 2 of 0 -> 1.0; _ -> float(A) end)
                   end
           end;
       A == 0, B < 0 -> zero_divide();
       true -> float_pow(A, B)
    end.

float_pow(A, B) ->
    X = float_op(fun() -> float(A) end),
    Y = float_op(fun() -> float(B) end),
    case X < 0 andalso Y /= erlang:trunc(Y) of
        true -> undefined();  % a negative base with a fractional exponent
        false -> float_op(fun() -> math:pow(X, Y) end)
    end.

int_pow(_, 0) -> 1;
int_pow(A, 1) -> A;
int_pow(A, N) when N rem 2 =:= 0 -> H = int_pow(A, N div 2), H * H;
int_pow(A, N) -> A * int_pow(A, N - 1).

%% ---------------------------------------------------------------- comparison

-spec lt(number(), term()) -> boolean().
lt(A, B) -> A < number_arg('<', B).
-spec gt(number(), term()) -> boolean().
gt(A, B) -> A > number_arg('>', B).
-spec le(number(), term()) -> boolean().
le(A, B) -> A =< number_arg('<=', B).
-spec ge(number(), term()) -> boolean().
ge(A, B) -> A >= number_arg('>=', B).

%% ---------------------------------------------------------------- unary

-spec negated(number()) -> number().
negated(X) -> -X.
-spec abs(number()) -> number().
%% @doc The magnitude; `-0.0 abs` is 0.0 (erlang:abs/1 keeps the sign of a negative zero).
abs(X) when is_float(X) -> copysign(X, 1.0);
abs(X) -> erlang:abs(X).
-spec sign(number()) -> -1 | 0 | 1.
%% @doc -1, 0 or 1, an Integer also for Floats.
sign(X) when X > 0 -> 1;
sign(X) when X < 0 -> -1;
sign(_) -> 0.

-spec sqrt(number()) -> float().
%% @doc A Float; negative receivers are an undefined result.
sqrt(X) when X < 0 -> undefined();
sqrt(X) ->
    try math:sqrt(X)
    catch error:_ when is_integer(X) -> float(isqrt(X))  % beyond the float range
    end.

isqrt(N) -> isqrt(N, 1 bsl ((bit_length(N) + 1) div 2)).
isqrt(N, X) ->
    Y = (X + N div X) div 2,
    case Y >= X of
        true -> X;
        false -> isqrt(N, Y)
    end.

-spec rounded(number()) -> integer().
%% @doc Round half away from zero, exactly.
rounded(X) when is_integer(X) -> X;
rounded(X) ->
    T = erlang:trunc(X),
    Fraction = X - T,  % exact: the fractional part of a double is a double
    if Fraction >= 0.5 -> T + 1;
       Fraction =< -0.5 -> T - 1;
       true -> T
    end.

-spec truncated(number()) -> integer().
truncated(X) -> erlang:trunc(X).
-spec floor(number()) -> integer().
floor(X) -> erlang:floor(X).
-spec ceiling(number()) -> integer().
ceiling(X) -> erlang:ceil(X).
-spec as_integer(number()) -> integer().
as_integer(X) -> erlang:trunc(X).
-spec as_float(number()) -> float().
%% @doc The nearest Float (`Float overflow` for Integers beyond the range).
as_float(X) -> float_op(fun() -> float(X) end).

%% ---------------------------------------------------------------- radix printing

-spec print_radix(number(), term()) -> binary().
%% @doc `printString: base` for bases 2..36, without a radix prefix (`255 printString: 16`
%% is 'FF'); a Float prints the fewest fractional digits that read back as it.
print_radix(_, Base) when not is_integer(Base) ->
    beamtalk_error:raise(expects_integer, #{selector => 'printString:',
                                            kind => beamtalk_value:kind_name(Base)});
print_radix(_, Base) when Base < 2; Base > 36 ->
    beamtalk_error:raise(bad_radix, #{selector => 'printString:', value => Base});
print_radix(X, Base) when is_integer(X) -> integer_to_binary(X, Base);
print_radix(X, 10) -> beamtalk_float_text:format(X);
print_radix(X, Base) ->
    <<S:1, _:63>> = <<X/float>>,
    Sign = case S of 1 -> "-"; 0 -> "" end,
    {N, D} = rational(erlang:abs(X)),
    {Digits, Places} = fewest_places(N, D, Base, 0, erlang:abs(X)),
    Scale = int_pow(Base, Places),
    {Whole, Fraction} = {Digits div Scale, Digits rem Scale},
    FractionText = case Places of
                       0 -> "";
                       _ -> string:trim(string:pad(integer_to_list(Fraction, Base), Places,
                                                   leading, $0), trailing, "0")
                   end,
    iolist_to_binary([Sign, integer_to_list(Whole, Base), ".",
                      case FractionText of "" -> "0"; _ -> FractionText end]).

%% The first number of places P where round(x * base^P) / base^P reads back as x.
fewest_places(N, D, Base, Places, X) ->
    Scale = int_pow(Base, Places),
    R = round_half_even(N * Scale, D),
    case ratio_to_float(R, Scale) == X of
        true -> {R, Places};
        false -> fewest_places(N, D, Base, Places + 1, X)
    end.

round_half_even(N, D) ->
    {Q, R} = {N div D, N rem D},
    if 2 * R > D -> Q + 1;
       2 * R =:= D -> Q + (Q band 1);
       true -> Q
    end.
