%% Method lookup at run time: what a send of a selector to a receiver runs (the rule the
%% generated dispatch modules encode), super sends, perform:, respondsTo:, doesNotUnderstand:.
%%
%% A target is {Module, Function} (called with the receiver and the arguments),
%% {getter, Field} / {setter, Field} (a value class's generated accessors), unsupported
%% (a primitive this backend lacks, without fallback) or dnu.
-module(beamtalk_dispatch).
-export([resolve/2, resolve_instance/2, resolve_class_side/2, resolve_metaclass/1,
         class_protocol/1,
         call_target/4, send/3, perform/3, perform/4, responds_to/2, super/5, dnu/3, unsupported/3,
         require_builtin/1, dispatch_module/1, not_understood/3]).

-spec dispatch_module(atom()) -> atom().
%% @doc The dispatch module of a selector: `'bt@sel@at:put:'`.
dispatch_module(Selector) -> binary_to_atom(<<"bt@sel@", (atom_to_binary(Selector))/binary>>).

-spec resolve(term(), atom()) -> term().
%% @doc The target a send of Selector to this receiver runs.
resolve({'$class', Name}, Selector) -> resolve_class_side(Name, Selector);
resolve({'$metaclass', _}, Selector) -> resolve_metaclass(Selector);
resolve(Receiver, Selector) -> resolve_instance(beamtalk_value:class_name(Receiver), Selector).

-spec resolve_instance(atom(), atom()) -> term().
%% @doc For instances of a class: its chain below Object, then Object's protocol, then the
%% generated accessors of value classes and exceptions (they never shadow Object's).
resolve_instance(Name, Selector) ->
    Chain = [C || C <- beamtalk_classes:lookup_chain(Name), C =/= 'Object'],
    case find(Chain, instance, Selector) of
        none ->
            case find(['Object'], instance, Selector) of
                none -> accessor(Name, Selector);
                Target -> Target
            end;
        Target -> Target
    end.

-spec resolve_class_side(atom(), atom()) -> term().
%% @doc For a class object: its class-side chain, then Class's protocol.
resolve_class_side(Name, Selector) ->
    case find(beamtalk_classes:lookup_chain(Name), class, Selector) of
        none -> class_protocol(Selector);
        Target -> Target
    end.

-spec class_protocol(atom()) -> term().
%% @doc What every class answers unless its class side says more: Class's protocol.
class_protocol(Selector) ->
    or_dnu(find(beamtalk_classes:lookup_chain('Class'), instance, Selector)).

-spec resolve_metaclass(atom()) -> term().
%% @doc For a metaclass (`Point class`): Metaclass's protocol.
resolve_metaclass(Selector) ->
    or_dnu(find(beamtalk_classes:lookup_chain('Metaclass'), instance, Selector)).

or_dnu(none) -> dnu;
or_dnu(Target) -> Target.

find([], _, _) -> none;
find([C | Rest], Side, Selector) ->
    case maps:find(Selector, beamtalk_classes:own_methods(C, Side)) of
        {ok, #{target := Target}} -> Target;
        error -> find(Rest, Side, Selector)
    end.

accessor(Name, Selector) ->
    case beamtalk_classes:kind(Name) of
        actor -> dnu;
        _ ->
            Fields = beamtalk_classes:all_fields(Name),
            case lists:member(Selector, Fields) of
                true -> {getter, Selector};
                false ->
                    case [F || F <- Fields, beamtalk_dispatch_gen:setter_selector(F) =:= Selector] of
                        [Field | _] -> {setter, Field};
                        [] -> dnu
                    end
            end
    end.

-spec call_target(term(), term(), atom(), [term()]) -> term().
%% @doc Run a target (what a dispatch clause does statically).
call_target({getter, Field}, Receiver, _, []) -> beamtalk_object:field(Receiver, Field);
call_target({setter, Field}, Receiver, _, [Value]) ->
    beamtalk_object:with_field(Receiver, Field, Value);
call_target({Module, Function}, Receiver, _, Args) -> erlang:apply(Module, Function, [Receiver | Args]);
call_target(unsupported, Receiver, Selector, Args) -> unsupported(Receiver, Selector, Args);
call_target(dnu, Receiver, Selector, Args) -> dnu(Receiver, Selector, Args).

-spec send(term(), atom(), [term()]) -> term().
%% @doc A send with a selector known only at run time (through its dispatch module).
send(Receiver, Selector, Args) ->
    Module = dispatch_module(Selector),
    case erlang:function_exported(Module, send, length(Args) + 1) of
        true -> erlang:apply(Module, send, [Receiver | Args]);
        false ->
            case code:ensure_loaded(Module) of
                {module, _} -> erlang:apply(Module, send, [Receiver | Args]);
                _ -> call_target(resolve(Receiver, Selector), Receiver, Selector, Args)
            end
    end.

-spec perform(term(), term(), term()) -> term().
%% @doc `perform:withArguments:`: a Symbol (or String) and a List of the right size.
perform(Receiver, Selector0, Args) ->
    case is_list(Args) of  % the arguments first, as on the interpreter
        true -> ok;
        false -> beamtalk_error:raise(expects_list, #{selector => 'perform:withArguments:',
                                                      kind => beamtalk_value:kind_name(Args)})
    end,
    perform(Receiver, 'perform:withArguments:', Selector0, Args).

-spec perform(term(), atom(), term(), [term()]) -> term().
%% @doc `perform:` and friends (`Sent`): a selector taking as many arguments as are given.
perform(Receiver, Sent, Selector0, Args) ->
    Selector = beamtalk_reflection:selector_name(Sent, Selector0),
    Expected = beamtalk_dispatch_gen:selector_arity(Selector),
    case Expected =:= length(Args) of
        true -> send(Receiver, Selector, Args);
        false -> beamtalk_error:raise(wrong_argument_count,
                                      #{selector => Selector, expected => Expected,
                                        count => length(Args)})
    end.

-spec responds_to(term(), term()) -> boolean().
%% @doc `respondsTo:`: true when a send would find a method (accessors included).
responds_to(Receiver, Selector) when is_atom(Selector) ->
    resolve(Receiver, Selector) =/= dnu;
responds_to(_, _) -> false.

-spec super(atom(), instance | class, atom(), term(), [term()]) -> term().
%% @doc `super sel` in a method of Class: lookup starts in Class's superclass.
super(Class, instance, Selector, Self, Args) ->
    Target = case beamtalk_classes:superclass(Class) of
                 nil -> dnu;
                 Super -> resolve_instance(Super, Selector)
             end,
    call_target(Target, Self, Selector, Args);
super(Class, class, Selector, Self, Args) ->
    Target = case beamtalk_classes:superclass(Class) of
                 nil -> or_dnu(find(beamtalk_classes:lookup_chain('Class'), instance, Selector));
                 Super -> resolve_class_side(Super, Selector)
             end,
    call_target(Target, Self, Selector, Args).

-spec dnu(term(), atom(), [term()]) -> term().
%% @doc No method: the receiver's own `doesNotUnderstand:` if its class overrides it, else
%% the DoesNotUnderstand error with receiver, selector and arguments.
dnu(Receiver, Selector, Args) ->
    case resolve(Receiver, 'doesNotUnderstand:') of
        {beamtalk_object, 'doesNotUnderstand:'} -> not_understood(Receiver, Selector, Args);
        Target when Target =:= dnu; Target =:= unsupported ->
            not_understood(Receiver, Selector, Args);
        Target -> call_target(Target, Receiver, 'doesNotUnderstand:',
                              [beamtalk_value:message(Selector, Args)])
    end.

-spec not_understood(term(), atom(), [term()]) -> no_return().
%% @doc The DoesNotUnderstand error (receiver shown by its printString, cut to 40).
not_understood(Receiver, Selector, Args) ->
    Printed = try beamtalk_object:receiver_print_string(Receiver)
              catch _:_ -> beamtalk_value:article(beamtalk_value:class_text(
                                                    beamtalk_value:class_of(Receiver)))
              end,
    Cut = case string:length(Printed) > 40 of
              true -> <<(unicode:characters_to_binary(string:slice(Printed, 0, 40)))/binary,
                        "...">>;
              false -> Printed
          end,
    beamtalk_error:raise(does_not_understand, #{receiver => Cut, selector => Selector},
                         #{selector => Selector, receiver => Receiver, arguments => Args}).

-spec unsupported(term(), atom(), [term()]) -> no_return().
%% @doc A primitive this backend does not have and no Beamtalk fallback.
unsupported(Receiver, Selector, _Args) ->
    Class = beamtalk_value:class_text(beamtalk_value:class_of(Receiver)),
    beamtalk_error:raise(primitive_unsupported,
                         #{method => <<Class/binary, ">>#", (atom_to_binary(Selector))/binary>>}).

-spec require_builtin(term()) -> ok.
%% @doc Before giving a mutating literal block to a non-inlined control message: the
%% receiver must be an instance of a built-in class (LANGUAGE.md 2.3).
require_builtin({'$inst', Class, _}) -> builtin_class(Class);
require_builtin({'$exc', Class, _}) -> builtin_class(Class);
require_builtin({'$actor', Class, _, _}) -> builtin_class(Class);
require_builtin(_) -> ok.

builtin_class(Class) ->
    case lists:keymember(Class, 1, beamtalk_stdlib_classes:classes()) of
        true -> ok;
        false -> beamtalk_error:raise(block_assigns_outer, #{})
    end.
