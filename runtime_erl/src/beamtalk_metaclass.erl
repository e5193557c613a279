%% The primitive table of Metaclass: reflection on a class's class side (`Point class`).
-module(beamtalk_metaclass).
-export([name/1, instanceClass/1, superclass/1, methods/1, allMethods/1,
         'includesSelector:'/2, '>>'/2, 'removeSelector:'/2]).

name({'$metaclass', Name}) -> <<(atom_to_binary(Name))/binary, " class">>.
instanceClass({'$metaclass', Name}) -> beamtalk_value:class(Name).

%% `Object class superclass` is Class, as in Smalltalk.
superclass({'$metaclass', Name}) ->
    case beamtalk_classes:superclass(Name) of
        nil -> beamtalk_value:class('Class');
        Super -> beamtalk_value:metaclass(Super)
    end.

methods({'$metaclass', Name}) -> beamtalk_reflection:selectors(beamtalk_classes:own_methods(Name, class)).

allMethods({'$metaclass', Name}) ->
    lists:usort(lists:append([maps:keys(beamtalk_classes:own_methods(C, class))
                              || C <- beamtalk_classes:lookup_chain(Name)])
                ++ beamtalk_class:allMethods(beamtalk_value:class('Class'))).

'includesSelector:'({'$metaclass', Name}, Selector) ->
    maps:is_key(beamtalk_reflection:selector_name('includesSelector:', Selector),
                beamtalk_classes:own_methods(Name, class)).

'>>'({'$metaclass', Name}, Selector) ->
    beamtalk_reflect:compiled_method(Name, class, beamtalk_reflection:selector_name('>>', Selector)).

'removeSelector:'({'$metaclass', Name}, Selector) ->
    beamtalk_reflection:remove_selector(Name, class, Selector).
