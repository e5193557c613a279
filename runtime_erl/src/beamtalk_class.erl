%% The primitive table of Class: instantiation and reflection on classes (LANGUAGE.md 5.1).
%% The receiver is a class object `{'$class', Name}`.
-module(beamtalk_class).
-export([spawn_refusal/1]).
-export([new/1, 'new:'/2, spawn/1, 'spawnWith:'/2, name/1, superclass/1, subclasses/1,
         methods/1, allMethods/1, 'includesSelector:'/2, instanceVariableNames/1,
         classVariableNames/1, doc/1, '>>'/2, 'removeSelector:'/2]).

new({'$class', 'List'}) -> [];
new({'$class', 'Dictionary'}) -> #{};
new({'$class', 'Set'}) -> beamtalk_value:set([]);
new({'$class', 'Tuple'}) -> {};
new({'$class', 'String'}) -> <<>>;
new({'$class', Name}) -> instantiate(Name, new, #{}).

'new:'({'$class', 'Dictionary'}, Map) when is_map(Map) -> Map;
'new:'({'$class', Name}, Fields) when is_map(Fields) -> instantiate(Name, new, given(Fields));
'new:'({'$class', Name}, Fields) ->
    %% A built-in class refuses before the argument is looked at, as on the interpreter.
    case builtin(Name) of
        true -> instantiate(Name, new, #{});
        false ->
            beamtalk_error:raise(expects_dictionary, #{selector => 'new:',
                                                       kind => beamtalk_value:kind_name(Fields)})
    end.

%% The fields a `new:` Dictionary gives, String keys as Symbols (Symbol keys are the rule:
%% the map is then used as it is).
given(Fields) ->
    case all_atoms(maps:keys(Fields)) of
        true -> Fields;
        false -> maps:from_list([{field_key(K), V} || {K, V} <- maps:to_list(Fields)])
    end.

all_atoms([K | Rest]) when is_atom(K) -> all_atoms(Rest);
all_atoms(Rest) -> Rest =:= [].

instantiate(Name, Selector, Given) ->
    case new_plan(Name) of
        {new, Kind, Known, Fillers} ->
            case [K || K <- maps:keys(Given), not is_map_key(K, Known)] of
                [] -> beamtalk_object:planned_instance(Name, Kind, Fillers, Given);
                Unknown ->
                    beamtalk_error:raise(no_such_field, #{class_name => atom_to_binary(Name),
                                                          field => hd(lists:sort(Unknown))})
            end;
        {refuse, builtin_instantiation} ->
            beamtalk_error:raise(builtin_instantiation, #{class_name => atom_to_binary(Name),
                                                          selector => Selector});
        {refuse, Id} -> beamtalk_error:raise(Id, #{class_name => atom_to_binary(Name)})
    end.

%% What `new`/`new:` on a class takes: why it refuses (an actor class, an abstract or a
%% built-in one), or the kind, the set of fields and the instance plan; one lookup per
%% instantiation (kept until the classes change, beamtalk_classes:cached/2).
new_plan(Name) -> beamtalk_classes:cached({new_plan, Name}, fun() -> new_plan_now(Name) end).

new_plan_now(Name) ->
    case {beamtalk_classes:kind(Name), beamtalk_classes:modifier(Name)} of
        {actor, _} -> {refuse, actor_class_new};
        {_, abstract} -> {refuse, abstract_class};
        _ ->
            case builtin(Name) of
                true -> {refuse, builtin_instantiation};
                false ->
                    {Kind, Fillers} = beamtalk_object:instance_plan(Name),
                    {new, Kind, maps:from_list([{F, true} || {F, _} <- Fillers]), Fillers}
            end
    end.

%% The stdlib's classes are built in, exceptions aside (they take fields), as on the interpreter.
builtin(Name) ->
    lists:keymember(Name, 1, beamtalk_stdlib_classes:classes())
        andalso beamtalk_classes:kind(Name) =/= exception.

field_key(K) when is_binary(K) -> binary_to_atom(K);
field_key(K) -> K.

spawn({'$class', Name}) -> spawn_checked(Name, fun() -> #{} end).

'spawnWith:'({'$class', Name}, Fields) ->
    spawn_checked(Name, fun() ->
                              given_fields(Name, 'spawnWith:', beamtalk_future:value(Fields))
                      end).

%% `spawn` on a class that cannot have actors says why (beamtalk_actor:plan/1 decides,
%% once per class definition).
spawn_checked(Name, Given) ->
    case beamtalk_actor:plan(Name) of
        {cannot, Id} ->
            Bindings = #{class_name => atom_to_binary(Name), selector => spawn},
            beamtalk_error:raise(Id, maps:with(placeholders(Id), Bindings));
        Plan -> beamtalk_actor:spawn_planned(Name, Plan, Given())
    end.

placeholders(builtin_instantiation) -> [class_name, selector];
placeholders(_) -> [class_name].

%% Whether a class may have actors, and why not: the error's table entry.
-spec spawn_refusal(atom()) -> none | atom().
spawn_refusal(Name) ->
    Kind = beamtalk_classes:kind(Name),
    case {Kind, beamtalk_classes:info(Name)} of
        {value, _} -> value_class_spawn;
        {_, #{modifier := abstract}} -> abstract_class;
        _ ->
            case builtin(Name) of
                true -> builtin_instantiation;
                false when Kind =/= actor -> cannot_spawn;
                false -> none
            end
    end.

%% The fields a `spawnWith:` Dictionary sets, each a field of the class.
given_fields(Name, _Selector, Fields) when is_map(Fields) ->
    Known = beamtalk_classes:all_fields(Name),
    Given = maps:from_list([{field_key(K), V} || {K, V} <- maps:to_list(Fields)]),
    case [K || K <- lists:sort(maps:keys(Given)), not lists:member(K, Known)] of
        [] -> Given;
        [Unknown | _] -> beamtalk_error:raise(no_such_field, #{class_name => atom_to_binary(Name),
                                                                field => Unknown})
    end;
given_fields(_, Selector, Other) ->
    beamtalk_error:raise(expects_dictionary, #{selector => Selector,
                                               kind => beamtalk_value:kind_name(Other)}).

name({'$class', Name}) -> atom_to_binary(Name).

superclass({'$class', Name}) ->
    case beamtalk_classes:superclass(Name) of
        nil -> nil;
        Super -> beamtalk_value:class(Super)
    end.

subclasses({'$class', Name}) -> [beamtalk_value:class(C) || C <- beamtalk_classes:subclasses(Name)].

methods({'$class', Name}) -> beamtalk_reflection:selectors(beamtalk_classes:own_methods(Name, instance)).

allMethods({'$class', Name}) ->
    lists:usort(lists:append([maps:keys(beamtalk_classes:own_methods(C, instance))
                              || C <- beamtalk_classes:lookup_chain(Name)])).

'includesSelector:'({'$class', Name}, Selector) ->
    maps:is_key(beamtalk_reflection:selector_name('includesSelector:', Selector),
                beamtalk_classes:own_methods(Name, instance)).

instanceVariableNames({'$class', Name}) -> beamtalk_classes:all_fields(Name).

classVariableNames({'$class', Name}) ->
    case beamtalk_classes:info(Name) of
        undefined -> [];
        Info -> maps:get(class_vars, Info)
    end.

doc({'$class', Name}) ->
    case beamtalk_classes:info(Name) of
        undefined -> nil;
        Info -> maps:get(doc, Info)
    end.

'>>'({'$class', Name}, Selector) ->
    beamtalk_reflect:compiled_method(Name, instance, beamtalk_reflection:selector_name('>>', Selector)).

'removeSelector:'({'$class', Name}, Selector) ->
    beamtalk_reflection:remove_selector(Name, instance, Selector).
