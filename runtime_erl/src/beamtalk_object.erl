%% The primitive table of Object: what every value answers unless its class says more.
-module(beamtalk_object).
-export(['='/2, '~='/2, '<'/2, '>'/2, '<='/2, '>='/2]).

%% @doc `=` is exact equality, Erlang's `=:=` (no number coercion; `-0.0 = 0.0`, OTP 25).
'='(A, B) -> A =:= B.
'~='(A, B) -> A =/= B.

%% `<` and friends on values that have no order: a TypeError naming the receiver's kind.
'<'(A, _) -> incomparable('<', A).
'>'(A, _) -> incomparable('>', A).
'<='(A, _) -> incomparable('<=', A).
'>='(A, _) -> incomparable('>=', A).

incomparable(Selector, A) ->
    beamtalk_error:raise(not_comparable, #{selector => Selector,
                                           kind => beamtalk_value:kind_name(A)}).
