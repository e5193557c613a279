%% Float text in the spec's notation (LANGUAGE.md 4): the shortest digits that read back
%% as the same double, plain for 0 and 1e-4 <= |x| < 1e16, else `1.5e-5` style.
-module(beamtalk_float_text).
-export([format/1, digits/1]).

-spec format(float()) -> binary().
%% @doc The printString of a Float.
format(F) ->
    {Sign, Digits, Exp} = digits(F),
    Body = case F == 0.0 orelse (abs(F) >= 1.0e-4 andalso abs(F) < 1.0e16) of
               true -> plain(Digits, Exp);
               false -> scientific(Digits, Exp)
           end,
    list_to_binary([Sign, Body]).

-spec digits(float()) -> {string(), string(), integer()}.
%% @doc Sign ("" or "-"), shortest significant digits D and exponent E with |F| = 0.D * 10^E.
digits(F) ->
    %% OTP 25's `short` option answers the shortest round-trip digits in some notation;
    %% only the digits and the exponent are kept from it.
    Text = float_to_list(F, [short]),
    {Sign, Unsigned} = case Text of
                           [$- | Rest] -> {"-", Rest};
                           _ -> {"", Text}
                       end,
    {Mantissa, Exp10} = case string:split(Unsigned, "e") of
                            [M, E] -> {M, list_to_integer(E)};
                            [M] -> {M, 0}
                        end,
    [Whole, Fraction] = string:split(Mantissa, "."),
    All = Whole ++ Fraction,
    Significant = string:trim(All, leading, "0"),
    Leading = length(All) - length(Significant),
    case string:trim(Significant, trailing, "0") of
        "" -> {Sign, "0", 1};
        D -> {Sign, D, length(Whole) + Exp10 - Leading}
    end.

plain(Digits, Exp) when Exp =< 0 ->
    ["0.", lists:duplicate(-Exp, $0), Digits];
plain(Digits, Exp) when Exp >= length(Digits) ->
    [Digits, lists:duplicate(Exp - length(Digits), $0), ".0"];
plain(Digits, Exp) ->
    {Whole, Fraction} = lists:split(Exp, Digits),
    [Whole, ".", Fraction].

scientific([First | Rest], Exp) ->
    Fraction = case Rest of
                   "" -> "0";
                   _ -> Rest
               end,
    [First, ".", Fraction, "e", integer_to_list(Exp - 1)].
