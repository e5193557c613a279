-module(beamtalk_erlang).
%% @doc Erlang interop (LANGUAGE.md 7): the primitives of stdlib/Erlang.bt.
%%
%% `Erlang lists` answers a module proxy, a value instance of class Erlang holding the module
%% atom; a message the proxy does not understand is a call, its selector's first keyword
%% naming the function (`put:with:with:` is `put/3`, a unary selector a 0-arity function).
%% Values cross unchanged when they are terms LANGUAGE.md 7 maps (numbers, binaries, atoms,
%% proper lists, tuples, maps); anything else (a Character, a Block, an actor, a pid...) has
%% no counterpart on the other side and signals TypeError, so the BEAM answers exactly what
%% the interpreter's node bridge can (interp/runtime/erlang_node.py). An Erlang exception
%% becomes ErlangError, its messageText `Erlang <class>: <reason>` (the reason's printString
%% when it is a Beamtalk value, else Erlang's `~tp`); an undefined function or module says so.

-export(['class doesNotUnderstand:'/2, 'doesNotUnderstand:'/2, 'error:'/2, printString/1,
         displayString/1]).
-export([apply_call/3, crossable/1, offender/1, function_name/1, exception/5]).

-spec 'class doesNotUnderstand:'(term(), term()) -> tuple().
%% @doc `Erlang lists`: the proxy for module `lists` (a keyword message is not a module name).
'class doesNotUnderstand:'(Class, Message) ->
    Selector = beamtalk_message:selector(Message),
    case beamtalk_message:arguments(Message) of
        [] -> beamtalk_object:new_instance('Erlang', #{module => Selector});
        Args -> beamtalk_builtin_send:does_not_understand(Class, Selector, Args)
    end.

-spec 'doesNotUnderstand:'(term(), term()) -> term().
%% @doc A message to a module proxy: the Erlang call it names.
'doesNotUnderstand:'(Proxy, Message) ->
    Module = module_of(Proxy, Message),
    Selector = beamtalk_message:selector(Message),
    apply_call(Module, function_name(Selector), beamtalk_message:arguments(Message)).

-spec 'error:'(term(), term()) -> term().
%% @doc `Erlang erlang error: reason` calls erlang:error/1 (the proxy shadows Object>>error:).
'error:'(Proxy, Reason) ->
    'doesNotUnderstand:'(Proxy, beamtalk_value:message('error:', [Reason])).

-spec displayString(term()) -> binary().
%% @doc As printString.
displayString(Proxy) -> printString(Proxy).

-spec printString(term()) -> binary().
%% @doc `Erlang lists` prints as the expression that makes it.
printString(Proxy) ->
    case beamtalk_object:field(Proxy, module) of
        Module when is_atom(Module), Module =/= nil ->
            <<"Erlang ", (atom_to_binary(Module, utf8))/binary>>;
        _ -> <<"an Erlang">>
    end.

module_of(Proxy, Message) ->
    case beamtalk_object:field(Proxy, module) of
        Module when is_atom(Module), Module =/= nil -> Module;
        %% `Erlang new` has no module: nothing to call.
        _ -> beamtalk_builtin_send:does_not_understand(Proxy, beamtalk_message:selector(Message),
                                                       beamtalk_message:arguments(Message))
    end.

-spec function_name(atom()) -> atom().
%% @doc The Erlang function a selector names: its first keyword, or the whole selector.
function_name(Selector) ->
    Name = atom_to_binary(Selector, utf8),
    case binary:split(Name, <<":">>) of
        [First, _] when First =/= <<>> -> binary_to_atom(First, utf8);
        _ -> Selector
    end.

-spec apply_call(atom(), atom(), [term()]) -> term().
%% @doc Call M:F(Args) with the mapping's checks on the way in and out.
apply_call(Module, Function, Args) ->
    Arity = length(Args),
    Where = #{module => Module, function => Function, arity => Arity},
    check_arguments(Args, 1, Where),
    Result = try erlang:apply(Module, Function, Args)
             catch
                 error:undef:Stack -> undefined(Module, Function, Args, Stack);
                 Class:Reason -> erlang:error(exception(Class, Reason, Module, Function, Args))
             end,
    case crossable(Result) of
        true -> Result;
        false -> beamtalk_error:raise(erlang_result_no_counterpart,
                                      Where#{term => format(Result)})
    end.

check_arguments([], _, _) -> ok;
check_arguments([A | Rest], Index, Where) ->
    case offender(A) of
        none -> check_arguments(Rest, Index + 1, Where);
        {value, Bad} -> beamtalk_error:raise(erlang_argument_no_counterpart,
                                             Where#{index => Index, kind => kind_name(Bad)})
    end.

%% A Beamtalk value's kind; a bare pid, port or reference only Erlang code can make.
kind_name(T) when is_pid(T); is_port(T); is_reference(T) -> <<"an Erlang term">>;
kind_name(T) ->
    try beamtalk_value:kind_name(T)
    catch error:_ -> <<"an Erlang term">>
    end.

%% An undef whose top frame is the call itself: the function (or its module) is missing;
%% an undef from deeper down is an ordinary Erlang exception.
undefined(Module, Function, Args, [{Module, Function, Args, _} | _]) ->
    Id = case code:ensure_loaded(Module) of
             {module, _} -> erlang_undefined_function;
             _ -> erlang_undefined_module
         end,
    erlang:error(beamtalk_error:new(Id, #{module => Module, function => Function,
                                          arity => length(Args)}));
undefined(Module, Function, Args, _) ->
    erlang:error(exception(error, undef, Module, Function, Args)).

-spec exception(atom(), term(), atom(), atom(), [term()]) -> term().
%% @doc The ErlangError for an Erlang exception of Class with Reason.
exception(Class, Reason, _Module, _Function, _Args) ->
    {Shown, Value} = case crossable(Reason) of
                         true -> {beamtalk_print:print_string(Reason), Reason};
                         false -> {format(Reason), format(Reason)}
                     end,
    E = beamtalk_error:new(erlang_exception, #{erlang_class => Class, reason => Shown}),
    beamtalk_error:with_field(beamtalk_error:with_field(E, erlangClass, Class), reason, Value).

format(Term) -> unicode:characters_to_binary(io_lib:format("~tp", [Term])).

-spec crossable(term()) -> boolean().
%% @doc True when a term is a value of the mapping (LANGUAGE.md 7), in both directions.
crossable(T) -> offender(T) =:= none.

-spec offender(term()) -> none | {value, term()}.
%% @doc The first part of a term with no counterpart on the other side (depth first).
offender(T) when is_integer(T); is_float(T); is_atom(T) -> none;
offender(T) when is_binary(T) ->
    %% A String is UTF-8; other bytes have no Beamtalk counterpart.
    case unicode:characters_to_list(T, utf8) of
        L when is_list(L) -> none;
        _ -> {value, T}
    end;
offender(T) when is_list(T) -> list_offender(T, T);
offender(T) when is_tuple(T), tuple_size(T) > 0, is_atom(element(1, T)) ->
    %% A tuple tagged with a `$` atom is a Beamtalk kind of its own (a Character, a Set...).
    case atom_to_binary(element(1, T), utf8) of
        <<"$", _/binary>> -> {value, T};
        _ -> first_offender(tuple_to_list(T))
    end;
offender(T) when is_tuple(T) -> first_offender(tuple_to_list(T));
offender(T) when is_map(T) -> first_offender(maps:keys(T) ++ maps:values(T));
offender(T) -> {value, T}.

list_offender([], _) -> none;
list_offender([H | Rest], Whole) ->
    case offender(H) of
        none -> list_offender(Rest, Whole);
        Found -> Found
    end;
list_offender(_, Whole) -> {value, Whole}.   % an improper list

first_offender([]) -> none;
first_offender([H | Rest]) ->
    case offender(H) of
        none -> first_offender(Rest);
        Found -> Found
    end.
