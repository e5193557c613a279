%% The primitive table of Character (`{'$char', CodePoint}`) and of `Character class`.
-module(beamtalk_character).
-export([displayString/1]).
-export([value/1, asString/1, isLetter/1, isDigit/1, isVowel/1, isUppercase/1,
         isLowercase/1, isWhitespace/1, asUppercase/1, asLowercase/1,
         '<'/2, '>'/2, '<='/2, '>='/2, 'class value:'/1, 'class value:'/2]).

value({'$char', C}) -> C.
asString({'$char', C}) -> unicode:characters_to_binary([C]).
isLetter({'$char', C}) -> beamtalk_text:is_letter(C).
isDigit({'$char', C}) -> C >= $0 andalso C =< $9.
isVowel({'$char', C}) -> lists:member(C, "aeiouAEIOU").
isUppercase({'$char', C}) -> beamtalk_unicode_data:in(uppercase, C).
isLowercase({'$char', C}) -> beamtalk_unicode_data:in(lowercase, C).
isWhitespace({'$char', C}) -> beamtalk_text:is_whitespace(C).
asUppercase({'$char', C}) -> {'$char', beamtalk_text:upper_one(C)}.
asLowercase({'$char', C}) -> {'$char', beamtalk_text:lower_one(C)}.

'<'(A, B) -> code(A) < code(arg('<', B)).
'>'(A, B) -> code(A) > code(arg('>', B)).
'<='(A, B) -> code(A) =< code(arg('<=', B)).
'>='(A, B) -> code(A) >= code(arg('>=', B)).

code({'$char', C}) -> C.
arg(Selector, B) ->
    beamtalk_text:compare_arg(expects_character, Selector,
                              fun(X) -> is_tuple(X) andalso element(1, X) =:= '$char'
                                            andalso tuple_size(X) =:= 2 end, B).

%% @doc `Character value: 97`: a code point (not a surrogate) or ArgumentError.
'class value:'(N) when not is_integer(N) ->
    beamtalk_error:raise(expects_integer, #{selector => 'value:',
                                            kind => beamtalk_value:kind_name(N)});
'class value:'(N) when N < 0; N > 16#10FFFF; N >= 16#D800, N =< 16#DFFF ->
    beamtalk_error:raise(not_code_point, #{value => N});
'class value:'(N) -> {'$char', N}.

%% @doc The user-facing text (LANGUAGE.md 4), elements by displayString.
displayString(X) -> beamtalk_print:display_string(X).

%% As the registry binds class-side primitives: the class first.
'class value:'(_Class, N) -> 'class value:'(N).
