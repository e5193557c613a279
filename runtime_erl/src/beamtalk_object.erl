%% The primitive table of Object: what every value answers unless its class says more.
-module(beamtalk_object).
-export([user_print/1, element_text/2]).
-export([class/1, printString/1, displayString/1, '='/2, '=='/2, '<'/2, '>'/2, '<='/2,
         '>='/2, hash/1, '->'/2, 'error:'/2, isClass/1, coerced/1]).
-export([field/2, with_field/3, instantiate/4, new_instance/2, field_values/2,
         instance_plan/1, planned_instance/4]).
-export([inspect/1, 'perform:'/2, 'perform:with:'/3, 'perform:with:with:'/4,
         'perform:withArguments:'/3, 'respondsTo:'/2, instVarNames/1, 'instVarAt:'/2,
         'instVarAt:put:'/3, 'doesNotUnderstand:'/2, send_print_string/1,
         receiver_print_string/1, send_display_string/1, text_answer/3, target_text/3,
         error_text_of/1]).

-define(ERROR_PRINT_DEPTH, 64).

class(X) -> beamtalk_value:class_of(X).
printString(X) -> beamtalk_print:print_string(X).
%% A class that prints itself its own way (a printString written in Beamtalk) also
%% displays that way.
displayString(X) ->
    case user_print(X) of
        {ok, Target} -> target_text(Target, X, printString);
        none -> beamtalk_print:display_string(X)
    end.

-spec target_text(term(), term(), printString | displayString) -> binary().
%% @doc What the method Target (X's printString or displayString) answers, as text: a
%% String, else print_not_string (text_answer/3).
target_text(Target, X, Selector) ->
    text_answer(X, Selector, beamtalk_dispatch:call_target(Target, X, Selector, [])).

-spec text_answer(term(), atom(), term()) -> binary().
%% @doc What X's printString (or displayString) answered, where the runtime builds text from
%% it (LANGUAGE.md 4: the REPL's line, collections, interpolation, inspect, Transcript, error
%% texts): a String, else the TypeError print_not_string.
text_answer(_, _, Text) when is_binary(Text) -> Text;
text_answer(X, Selector, Other) ->
    beamtalk_error:raise(print_not_string,
                         #{class_name => class_text(X), selector => Selector,
                           kind => beamtalk_value:kind_name(Other)}).

-spec send_display_string(term()) -> binary().
%% @doc X's displayString through dispatch (a class may display its own way), as text.
send_display_string(X) when is_binary(X) -> X;
send_display_string(X) ->
    case registered(X, displayString) of
        dnu -> beamtalk_print:display_string(X);
        Target -> target_text(Target, X, displayString)
    end.

-spec error_text_of(term()) -> binary().
%% @doc X's printString inside the text of an error about it (a missing key): when that
%% printString fails or answers no String, X is shown by its class (`a BadPrint`), so the
%% real error is not hidden.
error_text_of(X) ->
    try receiver_print_string(X)
    catch _:_ -> beamtalk_value:article(class_text(X))
    end.

%% @doc The printString method of X's class when it is written in Beamtalk (a class that
%% prints itself its own way), else none (the built-in printing applies).
-spec user_print(term()) -> {ok, term()} | none.
user_print(X) ->
    case registered_print(X) of
        {Module, _} = Target when is_atom(Module) ->
            case atom_to_binary(Module) of
                <<"beamtalk_", _/binary>> -> none;
                _ -> {ok, Target}
            end;
        _ -> none
    end.

%% @doc The text of a value instance or exception inside a collection or association
%% (LANGUAGE.md 4): its class's own printString when it has one, else the built-in form.
-spec element_text(term(), print | display) -> iodata().
element_text(X, How) ->
    case user_print(X) of
        {ok, Target} -> target_text(Target, X, printString);
        none when How =:= print -> beamtalk_print:print_string(X);
        none -> beamtalk_print:display_string(X)
    end.

%% @doc `=` is exact equality, Erlang's `=:=` (no number coercion; `-0.0 = 0.0`, OTP 25).
'='(A, B) -> A =:= B.

%% @doc `==` is equality after number coercion (`1 == 1.0`), also inside collections and
%% for Dictionary keys and Set elements.
%% Shortcuts first (the compiler compares classes and symbols a lot): identical terms stay
%% identical after coercion, and coercion maps no other term to an atom, a binary or a class.
'=='(A, A) -> true;
'=='({'$class', _}, _) -> false;
'=='(_, {'$class', _}) -> false;
'=='(A, B) when is_atom(A); is_atom(B) -> false;
'=='(A, B) when is_binary(A), is_binary(B) -> false;
'=='(A, B) -> coerced(A) =:= coerced(B).

-spec coerced(term()) -> term().
%% @doc A term in which numbers equal after coercion are one term: an integral Float
%% becomes its Integer, and maps and Sets become sorted lists of their coerced entries.
coerced(X) when is_float(X) ->
    case X == erlang:trunc(X) of
        true -> erlang:trunc(X);
        false -> X
    end;
coerced(X) when is_list(X) -> [coerced(E) || E <- X];
coerced(X) when is_map(X) -> {'$coerced_map', lists:usort([{coerced(K), coerced(V)}
                                                           || {K, V} <- maps:to_list(X)])};
coerced({'$set', M}) -> {'$set', lists:usort([coerced(E) || E <- maps:keys(M)])};
coerced({'$inst', C, Fields}) -> {'$inst', C, coerced(Fields)};
coerced(X) when is_tuple(X) -> list_to_tuple(coerced(tuple_to_list(X)));
coerced(X) -> X.

%% `<` and friends on values that have no order: a TypeError naming the receiver's kind.
'<'(A, _) -> incomparable('<', A).
'>'(A, _) -> incomparable('>', A).
'<='(A, _) -> incomparable('<=', A).
'>='(A, _) -> incomparable('>=', A).

incomparable(Selector, A) ->
    beamtalk_error:raise(not_comparable, #{selector => Selector,
                                           kind => beamtalk_value:kind_name(A)}).

%% @doc Equal values (`=`) have equal hashes: a negative zero hashes as 0.0.
hash(X) -> erlang:phash2(positive_zeros(X)).

positive_zeros(X) when is_float(X), X == 0 -> 0.0;
positive_zeros(X) when is_list(X) -> [positive_zeros(E) || E <- X];
positive_zeros(X) when is_map(X) ->
    maps:from_list([{positive_zeros(K), positive_zeros(V)} || {K, V} <- maps:to_list(X)]);
positive_zeros(X) when is_tuple(X) -> list_to_tuple(positive_zeros(tuple_to_list(X)));
positive_zeros(X) -> X.

'->'(K, V) -> {'$assoc', K, V}.

%% @doc `self error: 'text'` signals an Error with that text (its displayString).
'error:'(_, Text) -> beamtalk_error:raise(error_text, #{text => send_display_string(Text)}).

isClass({'$class', _}) -> true;
isClass({'$metaclass', _}) -> true;
isClass(_) -> false.

-spec field(tuple(), atom()) -> term().
%% @doc `self.x` / a generated getter: a field of a value instance or exception (nil if unset).
field({'$inst', _, Fields}, Name) -> maps:get(Name, Fields, nil);
field({'$exc', _, Fields}, Name) -> maps:get(Name, Fields, nil);
field({'$actor', _, _, _}, Name) -> beamtalk_actor:field(Name).

-spec with_field(tuple(), atom(), term()) -> tuple().
%% @doc A generated copy-setter (`withX:`): a new value with one field changed.
with_field({'$inst', C, Fields}, Name, Value) -> {'$inst', C, Fields#{Name => Value}};
with_field({'$exc', C, Fields}, Name, Value) -> {'$exc', C, Fields#{Name => Value}}.

-spec new_instance(atom(), map()) -> tuple().
%% @doc A value instance or exception of a class: the given fields, the others from their
%% defaults (inherited first, in declaration order; a given field's default is not run).
new_instance(Class, Given) ->
    {Kind, Fillers} = instance_plan(Class),
    planned_instance(Class, Kind, Fillers, Given).

-spec planned_instance(atom(), atom(), [{atom(), module() | nil}], map()) -> tuple().
%% @doc new_instance/2 with the class's instance_plan/1 already at hand.
planned_instance(Class, Kind, Fillers, Given) ->
    Fields = fill(Fillers, Given, Given),
    case Kind of
        exception ->
            Base = beamtalk_error:of_class(Class, nil),
            {'$exc', Class, maps:merge(element(3, Base), Fields)};
        _ -> {'$inst', Class, Fields}
    end.

-spec field_values(atom(), map()) -> map().
%% @doc Every field of a class: the given ones, the others from their defaults (evaluated
%% in this process, inherited first, in declaration order).
field_values(Class, Given) ->
    {_, Fillers} = instance_plan(Class),
    fill(Fillers, Given, Given).

fill([], _, Acc) -> Acc;
fill([{F, _} | Rest], Given, Acc) when is_map_key(F, Given) -> fill(Rest, Given, Acc);
fill([{F, nil} | Rest], Given, Acc) -> fill(Rest, Given, Acc#{F => nil});
fill([{F, Module} | Rest], Given, Acc) -> fill(Rest, Given, Acc#{F => Module:'$default'(F)}).

-spec instance_plan(atom()) -> {value | actor | exception, [{atom(), module() | nil}]}.
%% @doc What making an instance of a class takes: its kind, and every field (inherited
%% first, in declaration order) with the module that evaluates its default, or nil when it
%% has none; kept per process until the classes change (beamtalk_classes:cached/2).
instance_plan(Class) ->
    beamtalk_classes:cached({instance_plan, Class}, fun() -> instance_plan_now(Class) end).

instance_plan_now(Class) ->
    Fillers = lists:append(
                [[{F, case lists:member(F, Defaults) of
                          true -> Module;
                          false -> nil
                      end} || F <- Own]
                 || C <- lists:reverse(beamtalk_classes:lookup_chain(Class)),
                    {Own, Defaults, Module} <- [beamtalk_classes:field_plan(C)]]),
    {beamtalk_classes:kind(Class), Fillers}.

-spec instantiate(term(), new | spawn, atom(), [term()]) -> term().
%% @doc `expr new k1: a1 ...` (LANGUAGE.md 2.7): field values when every keyword names a
%% field and instances do not understand the selector, else `new` then the message.
instantiate({'$class', Class} = Receiver, How, Selector, Args) ->
    Keywords = [list_to_atom(K) || K <- string:lexemes(atom_to_list(Selector), ":")],
    Fields = beamtalk_classes:all_fields(Class),
    Sugar = Keywords =/= [] andalso lists:all(fun(K) -> lists:member(K, Fields) end, Keywords)
        andalso beamtalk_dispatch:resolve_instance(Class, Selector) =:= dnu,
    case {Sugar, How} of
        {true, new} ->
            beamtalk_dispatch:send(Receiver, 'new:', [maps:from_list(lists:zip(Keywords, Args))]);
        {true, spawn} ->
            beamtalk_dispatch:send(Receiver, 'spawnWith:',
                                   [maps:from_list(lists:zip(Keywords, Args))]);
        {false, _} -> beamtalk_dispatch:send(beamtalk_dispatch:send(Receiver, How, []),
                                             Selector, Args)
    end;
instantiate(Receiver, How, Selector, Args) ->
    beamtalk_dispatch:send(beamtalk_dispatch:send(Receiver, How, []), Selector, Args).

-spec send_print_string(term()) -> binary().
%% @doc The receiver's printString through dispatch (a class may print its own way).
send_print_string(X) ->
    case registered_print(X) of
        dnu -> beamtalk_print:print_string(X);
        Target -> target_text(Target, X, printString)
    end.

-spec receiver_print_string(term()) -> binary().
%% @doc send_print_string for the text of an error about X (DoesNotUnderstand): a printString
%% that itself fails that way (`printString => self foo`) would nest until the heap limit
%% stops the process (over 30 s); past ?ERROR_PRINT_DEPTH nested ones it fails at once, and
%% the caller shows X by its class ("a W"), the text the interpreter gives at its depth limit.
receiver_print_string(X) ->
    Depth = case get('$bt_error_print_depth') of
                undefined -> 0;
                D -> D
            end,
    Depth < ?ERROR_PRINT_DEPTH orelse error(error_print_depth),
    put('$bt_error_print_depth', Depth + 1),
    try send_print_string(X)
    after put('$bt_error_print_depth', Depth)
    end.

%% @doc The printString, then `  field: value` lines, then `  methods: #(...)`.
inspect(X) ->
    Fields = [[<<"  ">>, atom_to_binary(F), <<": ">>, send_print_string(field_value(X, F))]
              || F <- reflected_fields(X)],
    Methods = case beamtalk_value:class_of(X) of
                  {'$class', C} -> beamtalk_classes:own_methods(C, instance);
                  {'$metaclass', C} -> beamtalk_classes:own_methods(C, class)
              end,
    Lines = [send_print_string(X)] ++ Fields
        ++ [[<<"  methods: ">>, beamtalk_print:print_string(beamtalk_reflection:selectors(Methods))]],
    iolist_to_binary(lists:join(<<"\n">>, Lines)).

%% The fields reflection shows: value instances' (not exceptions').
reflected_fields({'$inst', C, _}) -> beamtalk_classes:all_fields(C);
reflected_fields({'$actor', C, _, _}) -> beamtalk_classes:all_fields(C);
reflected_fields(_) -> [].

field_value({'$inst', _, F}, Name) -> maps:get(Name, F, nil);
field_value({'$actor', _, _, _}, Name) -> beamtalk_actor:field(Name).

'perform:'(X, S) -> beamtalk_dispatch:perform(X, 'perform:', S, []).
'perform:with:'(X, S, A) -> beamtalk_dispatch:perform(X, 'perform:with:', S, [A]).
'perform:with:with:'(X, S, A, B) -> beamtalk_dispatch:perform(X, 'perform:with:with:', S, [A, B]).
'perform:withArguments:'(X, S, Args) when is_tuple(Args) ->
    case beamtalk_value:class_of(Args) of  % a Tuple of arguments, as on the interpreter
        {'$class', 'Tuple'} -> beamtalk_dispatch:perform(X, S, tuple_to_list(Args));
        _ -> beamtalk_dispatch:perform(X, S, Args)
    end;
'perform:withArguments:'(X, S, Args) -> beamtalk_dispatch:perform(X, S, Args).

'respondsTo:'(X, S) ->
    beamtalk_dispatch:responds_to(X, beamtalk_reflection:selector_name('respondsTo:', S)).

instVarNames(X) -> reflected_fields(X).

'instVarAt:'(X, Name) ->
    Key = beamtalk_reflection:selector_name('instVarAt:', Name),
    case lists:member(Key, reflected_fields(X)) of
        true -> field_value(X, Key);
        false -> beamtalk_error:raise(no_such_field,
                                      #{class_name => class_text(X), field => Key})
    end.

'instVarAt:put:'({'$actor', _, _, _} = X, Name, Value) ->
    %% Reflection on an actor runs inside it (a message), where its fields live.
    Key = beamtalk_reflection:selector_name('instVarAt:put:', Name),
    case lists:member(Key, reflected_fields(X)) of
        true -> beamtalk_actor:set_field(Key, Value);
        false -> beamtalk_error:raise(no_such_field,
                                      #{class_name => class_text(X), field => Key})
    end;
'instVarAt:put:'(X, _Name, _Value) ->
    beamtalk_error:raise(immutable_value, #{class_name => class_text(X)}).

class_text(X) -> beamtalk_value:class_text(beamtalk_value:class_of(X)).

'doesNotUnderstand:'(X, {'$message', Selector, Args}) ->
    beamtalk_dispatch:not_understood(X, Selector, Args);
'doesNotUnderstand:'(_, Other) ->
    beamtalk_error:raise(expects_message, #{selector => 'doesNotUnderstand:',
                                            kind => beamtalk_value:kind_name(Other)}).

%% What printString runs for X: dnu when no registry runs (primitives used on their own).
registered_print(X) -> registered(X, printString).

registered(X, Selector) ->
    case ets:whereis(beamtalk_classes) of
        undefined -> dnu;
        _ -> beamtalk_dispatch:resolve(X, Selector)
    end.
