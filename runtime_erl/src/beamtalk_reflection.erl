%% Shared helpers of the reflection primitives: selector and name arguments, selector lists.
-module(beamtalk_reflection).
-export([selector_name/2, name_of/2, selectors/1, remove_selector/3]).

-spec selector_name(atom(), term()) -> atom().
%% @doc A selector argument: a Symbol or a String, else TypeError (`perform:` wording).
selector_name(_, S) when is_atom(S), S =/= nil, S =/= true, S =/= false -> S;
selector_name(_, S) when is_binary(S) -> binary_to_atom(S);
selector_name(Selector, Other) ->
    beamtalk_error:raise(expects_symbol, #{selector => Selector,
                                           kind => beamtalk_value:kind_name(Other)}).

-spec name_of(atom(), term()) -> atom().
%% @doc A class or global name argument: a String or Symbol.
name_of(_, S) when is_binary(S) -> binary_to_atom(S);
name_of(_, S) when is_atom(S), S =/= nil, S =/= true, S =/= false -> S;
name_of(Selector, Other) ->
    beamtalk_error:raise(expects_string_or_symbol, #{selector => Selector,
                                                     kind => beamtalk_value:kind_name(Other)}).

-spec selectors(map()) -> [atom()].
%% @doc A method table's selectors, sorted.
selectors(Methods) -> lists:sort(maps:keys(Methods)).

-spec remove_selector(atom(), instance | class, term()) -> term().
%% @doc `removeSelector:`: answers the removed CompiledMethod or nil; a stdlib method stays.
remove_selector(Class, Side, Arg) ->
    Selector = selector_name('removeSelector:', Arg),
    case maps:find(Selector, beamtalk_classes:own_methods(Class, Side)) of
        error -> nil;
        {ok, Entry} ->
            Builtin = lists:keymember(Class, 1, beamtalk_stdlib_classes:classes())
                andalso maps:get(module, Entry) =:= maps:get(module, beamtalk_classes:info(Class)),
            case Builtin of
                true -> beamtalk_error:raise(builtin_selector_removal,
                                             #{class => Class, selector => Selector});
                false ->
                    Method = beamtalk_reflect:method_of(Class, Side, Entry),
                    beamtalk_classes:remove_method(Class, Side, Selector),
                    Method
            end
    end.
