%% Reflection values built from the registry: CompiledMethods and the primitive tables of
%% Class, Metaclass and CompiledMethod (LANGUAGE.md 5.1).
-module(beamtalk_reflect).
-export([compiled_method/3, method_of/3]).

-spec compiled_method(atom(), instance | class, atom()) -> tuple() | nil.
%% @doc The CompiledMethod of a class's own method, or nil.
compiled_method(Class, Side, Selector) ->
    case maps:find(Selector, beamtalk_classes:own_methods(Class, Side)) of
        {ok, Entry} -> method_of(Class, Side, Entry);
        error -> nil
    end.

-spec method_of(atom(), instance | class, map()) -> tuple().
%% @doc A CompiledMethod term for a method table entry.
method_of(Class, Side, #{selector := Selector} = Entry) ->
    Owner = case Side of
                instance -> beamtalk_value:class(Class);
                class -> beamtalk_value:metaclass(Class)
            end,
    {'$method', Owner, Selector,
     #{source => maps:get(source, Entry), doc => maps:get(doc, Entry),
       argumentCount => beamtalk_dispatch_gen:selector_arity(Selector),
       module => maps:get(module, Entry)}}.
