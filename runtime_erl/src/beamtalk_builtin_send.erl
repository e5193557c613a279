%% Sends that collection primitives make to their elements (`<` for max/min, `+` for sum),
%% answered for the built-in kinds (Object's `<` for the others, DoesNotUnderstand for
%% `+`).  A stand-in until the per-selector dispatch modules exist: then these become
%% ordinary sends and reach user-defined methods too.
-module(beamtalk_builtin_send).
-export([lt/2, plus/2, does_not_understand/3]).

-spec lt(term(), term()) -> term().
lt(A, B) when is_integer(A); is_float(A) -> beamtalk_number:lt(A, B);
lt(A, B) when is_binary(A) -> beamtalk_string:'<'(A, B);
lt({'$char', _} = A, B) -> beamtalk_character:'<'(A, B);
lt(A, B) ->
    case beamtalk_symbol:is_symbol(A) of
        true -> beamtalk_symbol:'<'(A, B);
        false -> beamtalk_object:'<'(A, B)
    end.

-spec plus(term(), term()) -> term().
plus(A, B) when is_integer(A); is_float(A) -> beamtalk_number:add(A, B);
plus(A, B) when is_binary(A) -> beamtalk_string:'+'(A, B);
plus(A, B) -> does_not_understand(A, '+', [B]).

-spec does_not_understand(term(), atom(), list()) -> no_return().
%% @doc DoesNotUnderstand: `<receiver> does not understand #foo`, the receiver's
%% printString cut to 40 characters plus `...`.
does_not_understand(Receiver, Selector, Args) ->
    Text = beamtalk_text:code_points(beamtalk_print:print_string(Receiver)),
    Shown = case length(Text) > 40 of
                true -> [lists:sublist(Text, 40), "..."];
                false -> Text
            end,
    beamtalk_error:raise(does_not_understand,
                         #{receiver => unicode:characters_to_binary(Shown), selector => Selector},
                         #{selector => Selector, receiver => Receiver, arguments => Args}).
