%% The exception machinery (LANGUAGE.md 3.4): `on:do:`, `ensure:`, `ifCurtailed:` and
%% signalling.  Errors unwind first (Erlang's own `try`); resumable exceptions run their
%% handler at the signal point, found on a handler stack in the process dictionary.
%%
%% A handler entry is {Id, Catches, HandlerBlock}.  While a handler runs, the stack holds
%% only the handlers outside its `on:do:`, so what it signals goes outward; an `on:do:`
%% frame whose entry is not on the current stack lets everything pass untouched.  The
%% exception given to a handler carries its entry's Id under '$handler', which `retry`,
%% `return:`, `resume:` and `pass` use.
-module(beamtalk_handlers).
-export([on_do/3, ensure/2, if_curtailed/2, signal/1, resume/2, retry/1, return/2, pass/1,
         handles/2, is_error/1, to_exception/2, strip/1]).

-define(STACK, '$bt_handlers').

stack() ->
    case get(?STACK) of
        undefined -> [];
        Stack -> Stack
    end.

set_stack(Stack) -> put(?STACK, Stack), ok.

-spec on_do(fun(), term(), term()) -> term().
%% @doc `aBlock on: Catches do: Handler`.
on_do(Block, Catches, Handler) ->
    Saved = stack(),
    Id = make_ref(),
    set_stack([{Id, Catches, Handler} | Saved]),
    try beamtalk_block:call(Block, []) of
        Value -> set_stack(Saved), Value
    catch
        throw:{'$bt_unwind', Id, How, Value} ->
            set_stack(Saved),
            unwound(How, Value, Block, Catches, Handler);
        Class:Reason:Trace ->
            case lists:keymember(Id, 1, stack()) of
                false -> erlang:raise(Class, Reason, Trace);
                true ->
                    set_stack(Saved),
                    Exception = case Class of
                                    error -> to_exception(Reason, Trace);
                                    _ -> none
                                end,
                    case Exception =/= none andalso handles(Catches, Exception) of
                        true -> run_handler(Id, Exception, Block, Catches, Handler);
                        false -> erlang:raise(Class, Reason, Trace)
                    end
            end
    end.

unwound(return, Value, _, _, _) -> Value;
unwound(retry, _, Block, Catches, Handler) -> on_do(Block, Catches, Handler).

%% An Error's handler, after unwinding: `return:` and `retry` end it early.
run_handler(Id, {'$exc', C, F}, Block, Catches, Handler) ->
    Given = {'$exc', C, F#{'$handler' => Id}},
    try beamtalk_block:cull(Handler, Given) of
        Value -> Value
    catch
        throw:{'$bt_unwind', Id, How, Value} -> unwound(How, Value, Block, Catches, Handler)
    end.

-spec ensure(fun(), fun()) -> term().
%% @doc `aBlock ensure: Cleanup`: Cleanup runs however aBlock is left; answers aBlock's value.
ensure(Block, Cleanup) ->
    try beamtalk_block:call(Block, [])
    after beamtalk_block:call(Cleanup, [])
    end.

-spec if_curtailed(fun(), fun()) -> term().
%% @doc `aBlock ifCurtailed: Cleanup`: Cleanup runs only when aBlock is left abnormally.
if_curtailed(Block, Cleanup) ->
    try beamtalk_block:call(Block, [])
    catch Class:Reason:Trace ->
            beamtalk_block:call(Cleanup, []),
            erlang:raise(Class, Reason, Trace)
    end.

-spec signal(tuple()) -> term().
%% @doc Signal an exception: an Error unwinds to its handler; a resumable exception runs
%% its handler here and answers the resumption value (an unhandled Warning: nil).
signal(Exception0) ->
    Exception = strip(Exception0),
    case is_error(Exception) of
        true -> erlang:error(Exception);
        false -> signal_resumable(Exception)
    end.

signal_resumable({'$exc', Class, Fields} = Exception) ->
    Stack = stack(),
    case find(Stack, Exception) of
        none ->
            case beamtalk_classes:inherits_from(Class, 'Warning') of
                true ->
                    Text = case beamtalk_error:message_text(Exception) of
                               nil -> <<>>;
                               T -> beamtalk_print:display_string(T)
                           end,
                    beamtalk_io:warn([<<"WARNING: ">>, Text, $\n]),
                    nil;
                false -> erlang:error(Exception)
            end;
        {Id, Handler, Below} ->
            set_stack(Below),
            try beamtalk_block:cull(Handler, {'$exc', Class, Fields#{'$handler' => Id}}) of
                Value -> set_stack(Stack), throw({'$bt_unwind', Id, return, Value})
            catch
                throw:{'$bt_resume', Id, Value} -> set_stack(Stack), Value
            end
    end.

find([], _) -> none;
find([{Id, Catches, Handler} | Below], Exception) ->
    case handles(Catches, Exception) of
        true -> {Id, Handler, Below};
        false -> find(Below, Exception)
    end.

-spec handles(term(), tuple()) -> boolean().
%% @doc Does an `on:` argument (a class or an ExceptionSet) catch this exception?
handles({'$class', Name}, {'$exc', Class, _}) -> beamtalk_classes:inherits_from(Class, Name);
handles({'$inst', 'ExceptionSet', Fields}, Exception) ->
    lists:any(fun(C) -> handles(C, Exception) end, maps:get(classes, Fields, []));
handles(_, _) -> false.

-spec is_error(tuple()) -> boolean().
%% @doc Errors are not resumable; every other exception is.
is_error({'$exc', Class, _}) -> beamtalk_classes:inherits_from(Class, 'Error').

handler_id({'$exc', _, Fields}, Selector) ->
    case maps:find('$handler', Fields) of
        {ok, Id} -> Id;
        error ->
            beamtalk_error:raise(outside_handler, #{selector => Selector})
    end.

-spec resume(tuple(), term()) -> no_return().
%% @doc `e resume: v`: the signal expression answers v (resumable exceptions only).
resume({'$exc', Class, _} = Exception, Value) ->
    case is_error(Exception) of
        true -> beamtalk_error:raise(not_resumable, #{class_name => Class});
        false -> throw({'$bt_resume', handler_id(Exception, 'resume:'), Value})
    end.

-spec retry(tuple()) -> no_return().
%% @doc `e retry`: run the protected block again.
retry(Exception) -> throw({'$bt_unwind', handler_id(Exception, retry), retry, nil}).

-spec return(tuple(), term()) -> no_return().
%% @doc `e return: v`: the `on:do:` answers v.
return(Exception, Value) -> throw({'$bt_unwind', handler_id(Exception, 'return:'), return, Value}).

-spec pass(tuple()) -> term().
%% @doc `e pass`: signal to the handlers outside this one; a resumable exception resumed
%% there resumes here too.
pass(Exception) ->
    Id = handler_id(Exception, pass),
    case is_error(Exception) of
        true -> erlang:error(strip(Exception));
        false -> throw({'$bt_resume', Id, signal_resumable(strip(Exception))})
    end.

-spec strip(tuple()) -> tuple().
%% @doc The exception without its handler mark.
strip({'$exc', Class, Fields}) -> {'$exc', Class, maps:remove('$handler', Fields)}.

-spec to_exception(term(), list()) -> tuple().
%% @doc The Beamtalk exception of an Erlang error reason (an internal failure otherwise).
to_exception({'$exc', _, _} = Exception, _) -> Exception;
%% Erlang errors a program can cause, as the spec's typed errors; anything else is a bug.
to_exception(system_limit, [{erlang, Make, _, _} | _])
  when Make =:= binary_to_atom; Make =:= list_to_atom ->
    beamtalk_error:new(symbol_too_long, #{});
to_exception(Reason, _Trace) ->
    Detail = unicode:characters_to_binary(io_lib:format("~0tp", [Reason])),
    beamtalk_error:new(internal_error, #{detail => Detail}).
