%% The class of every value and the tagged terms of the kinds that are not native terms.
%% README.md documents the representation; this module is the one place that knows the tags.
-module(beamtalk_value).
-export([dictionary/1]).
-export([class_of/1, class_name/1, class_text/1, kind_name/1, article/1, char/1, set/1,
         set_elements/1, interval/3,
         association/2, class/1, metaclass/1, instance/2, message/2, is_number/1,
         field_names/2, define_fields/2]).

-spec class_of(term()) -> tuple().
%% @doc The value's class as a class object: `{'$class', Name}`, or a metaclass for a class.
class_of({'$class', Name}) -> {'$metaclass', Name};
class_of({'$metaclass', _}) -> {'$class', 'Metaclass'};
class_of(X) -> {'$class', class_name(X)}.

-spec class_text(tuple()) -> binary().
%% @doc The printed name of a class object: `Counter`, `Counter class`.
class_text({'$class', Name}) -> atom_to_binary(Name);
class_text({'$metaclass', Name}) -> <<(atom_to_binary(Name))/binary, " class">>.

-spec class_name(term()) -> atom().
%% @doc The name of the class of a value that is not a class (classes: see class_of/1).
class_name(nil) -> 'UndefinedObject';
class_name(true) -> 'True';
class_name(false) -> 'False';
class_name(X) when is_integer(X) -> 'Integer';
class_name(X) when is_float(X) -> 'Float';
class_name(X) when is_binary(X) -> 'String';
class_name(X) when is_atom(X) -> 'Symbol';
class_name(X) when is_list(X) -> 'List';
class_name(X) when is_map(X) -> 'Dictionary';
class_name(X) when is_function(X) -> 'Block';
class_name({'$char', _}) -> 'Character';
class_name({'$set', _}) -> 'Set';
class_name({'$interval', _, _, _}) -> 'Interval';
class_name({'$assoc', _, _}) -> 'Association';
class_name({'$inst', Class, _}) -> Class;
class_name({'$exc', Class, _}) -> Class;
class_name({'$metaclass', _}) -> 'Metaclass';
class_name({'$method', _, _, _}) -> 'CompiledMethod';
class_name({'$message', _, _}) -> 'Message';
class_name({'$actor', Class, _, _}) -> Class;
class_name({'$future', _, _}) -> 'Future';
class_name(X) when is_tuple(X) -> 'Tuple'.

-spec kind_name(term()) -> binary().
%% @doc An argument's kind in TypeError texts: `a String`, `an Integer`, `nil`, `true`.
kind_name(nil) -> <<"nil">>;
kind_name(true) -> <<"true">>;
kind_name(false) -> <<"false">>;
kind_name(X) -> article(class_text(class_of(X))).

-spec article(binary()) -> binary().
%% @doc `a Point`, `an Error`.
article(<<C, _/binary>> = Name) when C =:= $A; C =:= $E; C =:= $I; C =:= $O; C =:= $U;
                                     C =:= $a; C =:= $e; C =:= $i; C =:= $o; C =:= $u ->
    <<"an ", Name/binary>>;
article(Name) -> <<"a ", Name/binary>>.

%% Constructors: generated code and primitives build tagged values only through these.
-spec char(non_neg_integer()) -> tuple().
char(CodePoint) -> {'$char', CodePoint}.
%% @doc A Dictionary literal from its {Key, Value} pairs in source order: a later value
%% wins, the first of equal keys (0.0, -0.0) stays, as on the interpreter (maps:from_list
%% would keep the last key).
-spec dictionary([{term(), term()}]) -> map().
dictionary(Pairs) -> lists:foldl(fun({K, V}, M) -> M#{K => V} end, #{}, Pairs).

-spec set([term()]) -> tuple().
set(Elements) -> {'$set', lists:foldl(fun put_new/2, #{}, Elements)}.

%% The first of equal elements stays (0.0 and -0.0 are equal keys), as on the interpreter;
%% maps:from_list would keep the last one.
put_new(E, M) ->
    case maps:is_key(E, M) of
        true -> M;
        false -> M#{E => true}
    end.
-spec set_elements(tuple()) -> [term()].
set_elements({'$set', Map}) -> maps:keys(Map).
-spec interval(number(), number(), number()) -> tuple().
interval(Start, Stop, Step) -> {'$interval', Start, Stop, Step}.
-spec association(term(), term()) -> tuple().
association(Key, Value) -> {'$assoc', Key, Value}.
-spec class(atom()) -> tuple().
class(Name) -> {'$class', Name}.
-spec metaclass(atom()) -> tuple().
metaclass(Name) -> {'$metaclass', Name}.
-spec instance(atom(), map()) -> tuple().
instance(Class, Fields) -> {'$inst', Class, Fields}.
-spec message(atom(), list()) -> tuple().
message(Selector, Arguments) -> {'$message', Selector, Arguments}.

-spec is_number(term()) -> boolean().
%% @doc True for Integers and Floats.
is_number(X) -> is_integer(X) orelse is_float(X).

-spec define_fields(atom(), [atom()]) -> ok.
%% @doc Record a value class's field names, inherited first, in declaration order.
%% (A stand-in for the class registry, which will own this; written once per definition.)
define_fields(Class, Names) ->
    persistent_term:put({beamtalk_fields, Class}, Names).

-spec field_names(atom(), map()) -> [atom()].
%% @doc The class's field names in declaration order; unknown classes: the map's keys, sorted.
field_names(Class, Fields) ->
    Registered = ets:whereis(beamtalk_classes) =/= undefined
        andalso beamtalk_classes:info(Class) =/= undefined,
    case Registered of
        true -> beamtalk_classes:all_fields(Class);
        false ->
            case persistent_term:get({beamtalk_fields, Class}, undefined) of
                undefined -> lists:sort([K || K <- maps:keys(Fields), not is_hidden(K)]);
                Names -> Names
            end
    end.

%% Keys starting with `$` hold what the runtime adds (no Beamtalk field can have them).
is_hidden(Key) -> is_atom(Key) andalso hd(atom_to_list(Key)) =:= $$.
