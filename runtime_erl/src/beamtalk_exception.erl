%% The primitive tables of Exception and ExceptionSet (LANGUAGE.md 3.4); the machinery
%% itself is beamtalk_handlers.
-module(beamtalk_exception).
-export([printString/1, displayString/1, messageText/1, 'messageText:'/2, description/1,
         kind/1, selector/1, receiver/1, arguments/1, signal/1, 'signal:'/2, pass/1,
         retry/1, 'return:'/2, resume/1, 'resume:'/2, 'class signal'/1, 'class signal:'/2,
         'class ,'/2, 'class handles:'/2, exception_set/1, members/1]).

printString(E) -> beamtalk_print:print_string(beamtalk_handlers:strip(E)).
%% The description, unless the class prints itself its own way (LANGUAGE.md 4).
displayString(E) ->
    Plain = beamtalk_handlers:strip(E),
    case beamtalk_object:user_print(Plain) of
        {ok, Target} -> beamtalk_object:target_text(Target, Plain, printString);
        none -> beamtalk_print:display_string(Plain)
    end.
messageText(E) -> beamtalk_error:message_text(E).
'messageText:'({'$exc', C, F}, Text) -> {'$exc', C, F#{'$messageText' => Text}}.
description(E) -> beamtalk_print:description(E).
kind(E) -> beamtalk_error:kind(E).
selector(E) -> beamtalk_error:selector(E).
receiver(E) -> beamtalk_error:receiver(E).
arguments(E) -> beamtalk_error:arguments(E).

signal(E) -> beamtalk_handlers:signal(E).
%% `signal: x` keeps x's displayString as the messageText (`messageText:` keeps x itself).
'signal:'(E, Text) ->
    beamtalk_handlers:signal('messageText:'(E, beamtalk_object:send_display_string(Text))).
pass(E) -> beamtalk_handlers:pass(E).
retry(E) -> beamtalk_handlers:retry(E).
'return:'(E, Value) -> beamtalk_handlers:return(E, Value).
resume(E) -> beamtalk_handlers:resume(E, nil).
'resume:'(E, Value) -> beamtalk_handlers:resume(E, Value).

'class signal'({'$class', Name}) -> beamtalk_handlers:signal(fresh(Name)).
'class signal:'({'$class', Name}, Text) ->
    Shown = case Text of
                nil -> nil;  % `Error signal: nil` has no text, as `Error signal`
                _ -> beamtalk_object:send_display_string(Text)
            end,
    beamtalk_handlers:signal('messageText:'(fresh(Name), Shown)).

fresh(Name) -> beamtalk_object:new_instance(Name, #{}).

'class ,'(Class, Other) -> exception_set([Class | members(Other)]).
'class handles:'(Class, E) -> beamtalk_handlers:handles(Class, E).

-spec members(term()) -> [term()].
%% @doc The classes a part of `A, B` stands for; anything but a class or an ExceptionSet is a
%% TypeError, as on the interpreter.
members({'$inst', 'ExceptionSet', Fields}) -> maps:get(classes, Fields, []);
members({'$class', _} = Class) -> [Class];
members(Other) ->
    beamtalk_error:raise(expects_exception_class,
                         #{selector => ',', kind => beamtalk_value:kind_name(Other)}).

-spec exception_set([term()]) -> tuple().
%% @doc An ExceptionSet value of these classes.
exception_set(Classes) -> {'$inst', 'ExceptionSet', #{classes => Classes}}.
