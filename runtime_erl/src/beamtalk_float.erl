%% The primitive table of Float: one function per `@primitive` selector of stdlib/Float.bt,
%% named by the selector, receiver first (README.md, "Primitives").
-module(beamtalk_float).
-export([negative_zero/0]).
-export(['+'/2, '-'/2, '*'/2, '/'/2, '%'/2, '**'/2, 'div:'/2, 'rem:'/2, 'mod:'/2,
         'raisedTo:'/2, '<'/2, '>'/2, '<='/2, '>='/2, negated/1, abs/1, sign/1, sqrt/1,
         rounded/1, truncated/1, floor/1, ceiling/1, asInteger/1, asFloat/1,
         'printString:'/2, 'to:'/2, 'to:by:'/3, 'to:do:'/3, 'to:by:do:'/4]).

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
abs(A) -> beamtalk_number:abs(A).
sign(A) -> beamtalk_number:sign(A).
sqrt(A) -> beamtalk_number:sqrt(A).
rounded(A) -> beamtalk_number:rounded(A).
truncated(A) -> erlang:trunc(A).
floor(A) -> erlang:floor(A).
ceiling(A) -> erlang:ceil(A).
asInteger(A) -> erlang:trunc(A).
asFloat(A) -> A.
'printString:'(A, Base) -> beamtalk_number:print_radix(A, Base).
'to:'(A, Stop) -> beamtalk_interval:new('to:', A, Stop, 1).
'to:by:'(A, Stop, Step) -> beamtalk_interval:new('to:by:', A, Stop, Step).
'to:do:'(A, Stop, Block) -> beamtalk_interval:loop('to:do:', A, Stop, 1, Block).
'to:by:do:'(A, Stop, Step, Block) -> beamtalk_interval:loop('to:by:do:', A, Stop, Step, Block).

%% @doc -0.0, made at run time: OTP 25's compiler shares literals that are equal by =:=
%% module-wide, and -0.0 =:= 0.0, so generated code never holds the literal.
negative_zero() ->
    <<Zero/float>> = <<128, 0, 0, 0, 0, 0, 0, 0>>,
    Zero.
