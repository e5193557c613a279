-module(beamtalk_model).
%% @doc The primitives of stdlib/Model.bt (LANGUAGE.md 5.2): the model registry, `complete:`
%% and the OpenAI-compatible HTTP model (OTP's httpc, JSON from beamtalk_json).
%%
%% The registry belongs to the running program, as on the interpreter
%% (interp/runtime/primitives/agents.py, whose rules and texts these follow): its rows live in
%% the class registry's public ETS table under `{global, {'$model', Name}}` and
%% `{global, {'$turn', Name}}` keys, which no Beamtalk name can write and which the runner's
%% `reset` clears with the other globals. `#echo` is there unless replaced. A name's turn
%% counter is bumped with ets:update_counter, so actors asking at once get distinct turns.

-export(['class register:as:'/3, 'class named:'/2, 'class ask:prompt:context:tools:'/5,
         'chat:context:tools:'/4]).
-export([make/2, excerpt/1, http_timeout/0]).

-define(TAB, beamtalk_classes).
-define(PROTOCOL, 'reply:context:tools:turn:').
-define(BASE_URL_VAR, <<"BEAMTALK_LLM_BASE_URL">>).
-define(API_KEY_VAR, <<"BEAMTALK_LLM_API_KEY">>).
-define(MAX_TOOL_ROUNDS, 8).
-define(EXCERPT, 200).

%% ------------------------------------------------------------------ the registry

-spec make(atom(), binary() | nil) -> tuple().
%% @doc A built-in Model: the echo model (no endpoint) or an HTTP model.
make(Name, Endpoint) -> beamtalk_object:new_instance('Model', #{name => Name, endpoint => Endpoint}).

lookup(Name) ->
    case ets:lookup(?TAB, {global, {'$model', Name}}) of
        [{_, Model}] -> Model;
        [] when Name =:= echo -> make(echo, nil);
        [] -> none
    end.

next_turn(Name) ->
    ets:update_counter(?TAB, {global, {'$turn', Name}}, {2, 1}, {{global, {'$turn', Name}}, 0}).

expect_symbol(_Selector, V) when is_atom(V), V =/= nil, V =/= true, V =/= false -> V;
expect_symbol(Selector, V) ->
    beamtalk_error:raise(expects_symbol, #{selector => Selector,
                                           kind => beamtalk_value:kind_name(V)}).

expect_string(_Selector, V) when is_binary(V) -> V;
expect_string(Selector, V) ->
    beamtalk_error:raise(expects_string, #{selector => Selector,
                                           kind => beamtalk_value:kind_name(V)}).

resolve(Name) ->
    case lookup(Name) of
        none ->
            case os:getenv(binary_to_list(?BASE_URL_VAR)) of
                Base when is_list(Base), Base =/= "" ->
                    make(Name, string:trim(unicode:characters_to_binary(Base), trailing, "/"));
                _ ->
                    beamtalk_error:raise(model_not_found,
                                         #{model => beamtalk_print:symbol_literal(Name),
                                           base_var => ?BASE_URL_VAR, key_var => ?API_KEY_VAR},
                                         #{receiver => Name})
            end;
        Model -> Model
    end.

-spec 'class register:as:'(term(), term(), term()) -> term().
%% @doc `Model register: aModel as: #name`: answers the model; its turns start over.
'class register:as:'(_Class, Model0, Name0) ->
    Model = beamtalk_future:awaited(Model0),
    Name = expect_symbol('register:as:', beamtalk_future:awaited(Name0)),
    case beamtalk_future:awaited(beamtalk_dispatch:send(Model, 'respondsTo:', [?PROTOCOL])) of
        true -> ok;
        _ -> beamtalk_error:raise(expects_model, #{selector => 'register:as:', protocol => ?PROTOCOL,
                                                   kind => beamtalk_value:kind_name(Model)})
    end,
    ets:insert(?TAB, [{{global, {'$model', Name}}, Model}, {{global, {'$turn', Name}}, 0}]),
    Model.

-spec 'class named:'(term(), term()) -> term().
%% @doc `Model named: #name`: the registered model, the HTTP model of that name, or
%% ModelNotFound.
'class named:'(_Class, Name) -> resolve(expect_symbol('named:', beamtalk_future:awaited(Name))).

-spec 'class ask:prompt:context:tools:'(term(), term(), term(), term(), term()) -> binary().
%% @doc `aSymbol complete: prompt context: aList tools: aToolRegistry`: always a String.
'class ask:prompt:context:tools:'(_Class, Name0, Prompt0, Context0, Tools0) ->
    Name = expect_symbol('complete:', beamtalk_future:awaited(Name0)),
    Prompt = expect_string('complete:', beamtalk_future:awaited(Prompt0)),
    Context = beamtalk_future:awaited(Context0),
    Tools = beamtalk_future:awaited(Tools0),
    case is_list(Context) orelse is_tuple_value(Context) of
        true -> ok;
        false -> beamtalk_error:raise(expects_list_context,
                                      #{selector => 'complete:context:tools:',
                                        kind => beamtalk_value:kind_name(Context)})
    end,
    case is_registry(Tools) of
        true -> ok;
        false -> beamtalk_error:raise(expects_tool_registry,
                                      #{selector => 'complete:context:tools:',
                                        kind => beamtalk_value:kind_name(Tools)})
    end,
    Model = resolve(Name),
    Turn = next_turn(Name),
    Reply = beamtalk_dispatch:send(Model, ?PROTOCOL, [Prompt, Context, Tools, Turn]),
    case beamtalk_future:awaited(Reply) of
        Answer when is_binary(Answer) -> Answer;
        Other -> beamtalk_error:raise(model_answer_not_string,
                                      #{model => beamtalk_print:symbol_literal(Name),
                                        kind => beamtalk_value:kind_name(Other)})
    end.

is_tuple_value(T) -> beamtalk_value:class_name(T) =:= 'Tuple'.

is_registry(T) ->
    beamtalk_classes:inherits_from(beamtalk_value:class_name(T), 'ToolRegistry').

%% ------------------------------------------------------------------ the HTTP model

-spec http_timeout() -> pos_integer().
%% @doc Milliseconds for one HTTP exchange (the application parameter `llm_timeout_ms`,
%% 60 s by default; EUnit shortens it).
http_timeout() -> application:get_env(beamtalk_runtime, llm_timeout_ms, 60000).

-spec 'chat:context:tools:'(term(), term(), term(), term()) -> binary().
%% @doc Ask an OpenAI-compatible endpoint; run the tools it calls until it answers text.
'chat:context:tools:'(Model, Prompt, Context, Tools) ->
    Name = beamtalk_object:field(Model, name),
    Label = <<"Model ", (beamtalk_print:print_string(Name))/binary>>,
    Url = chat_url(Label, beamtalk_object:field(Model, endpoint)),
    Messages = context_messages(Context) ++
        [{obj, [{<<"role">>, <<"user">>}, {<<"content">>, expect_string('chat:', Prompt)}]}],
    Specs = tool_specs(Tools),
    rounds(?MAX_TOOL_ROUNDS + 1, #{label => Label, url => Url, name => Name, tools => Tools,
                                   specs => Specs}, Messages).

rounds(0, #{label := Label}, _) ->
    beamtalk_error:raise(model_tool_rounds, #{model => Label, rounds => ?MAX_TOOL_ROUNDS});
rounds(N, #{label := Label, url := Url, name := Name, specs := Specs} = S, Messages) ->
    Body = {obj, [{<<"model">>, beamtalk_print:display_string(Name)}, {<<"messages">>, Messages}]
                 ++ case Specs of [] -> []; _ -> [{<<"tools">>, Specs}] end},
    Message = first_message(Label, Url, post_json(Label, Url, Body)),
    Calls = case beamtalk_json:get(<<"tool_calls">>, Message) of
                L when is_list(L) -> L;
                _ -> []
            end,
    case Calls =/= [] andalso Specs =/= [] of
        false ->
            case beamtalk_json:get(<<"content">>, Message) of
                Content when is_binary(Content) -> Content;
                _ -> beamtalk_error:raise(model_reply_no_text,
                                          #{model => Label, url => Url,
                                            reply => excerpt(beamtalk_json:encode(Message))})
            end;
        true ->
            Results = [run_tool_call(S, Call) || Call <- Calls],
            rounds(N - 1, S, Messages ++ [Message | Results])
    end.

chat_url(Label, Endpoint) ->
    case is_binary(Endpoint) andalso (prefix(<<"http://">>, Endpoint)
                                      orelse prefix(<<"https://">>, Endpoint)) of
        true -> <<(string:trim(Endpoint, trailing, "/"))/binary, "/chat/completions">>;
        false -> beamtalk_error:raise(model_bad_endpoint,
                                      #{model => Label, base_var => ?BASE_URL_VAR,
                                        endpoint => beamtalk_print:print_string(Endpoint)})
    end.

prefix(P, B) -> binary:longest_common_prefix([P, B]) =:= byte_size(P).

%% A context Dictionary's value under #key or 'key' (nil when absent).
entry(D, Key) ->
    case maps:get(binary_to_atom(Key, utf8), D, nil) of
        nil -> maps:get(Key, D, nil);
        V -> V
    end.

display(V) when is_binary(V) -> V;   % a String's displayString is itself
display(V) ->
    case beamtalk_dispatch:send(V, displayString, []) of
        Text when is_binary(Text) -> Text;
        Other -> beamtalk_print:display_string(Other)
    end.

%% Earlier turns: Strings are user messages; Dictionaries hold #question/#response (a user and
%% an assistant message) or #role/#content (one message as given).
context_messages(Context) when is_list(Context) -> lists:flatmap(fun context_message/1, Context);
context_messages(Context) when is_tuple(Context) ->
    case beamtalk_value:class_name(Context) of
        'Tuple' -> context_messages(tuple_to_list(Context));
        _ -> bad_context(Context)
    end;
context_messages(Context) -> bad_context(Context).

bad_context(Context) ->
    beamtalk_error:raise(expects_list_context, #{selector => 'chat:',
                                                 kind => beamtalk_value:kind_name(Context)}).

context_message(Item) when is_binary(Item) ->
    [{obj, [{<<"role">>, <<"user">>}, {<<"content">>, Item}]}];
context_message(Item) when is_map(Item) ->
    case entry(Item, <<"role">>) of
        nil ->
            [{obj, [{<<"role">>, Role}, {<<"content">>, display(V)}]}
             || {Key, Role} <- [{<<"question">>, <<"user">>}, {<<"response">>, <<"assistant">>}],
                (V = entry(Item, Key)) =/= nil];
        Role -> [{obj, [{<<"role">>, display(Role)},
                        {<<"content">>, display(entry(Item, <<"content">>))}]}]
    end;
context_message(Item) ->
    beamtalk_error:raise(bad_context_entry, #{kind => beamtalk_value:kind_name(Item)}).

%% The registry's tools as chat-completions function declarations (any arguments).
%% ToolRegistry is sealed, so its `tools` field (name => Tool) is what `names` and `at:` read.
tool_specs(Tools) ->
    Table = case beamtalk_object:field(Tools, tools) of
                M when is_map(M) -> M;
                _ -> #{}
            end,
    [{obj, [{<<"type">>, <<"function">>},
            {<<"function">>, {obj, [{<<"name">>, display(N)},
                                    {<<"description">>,
                                     display(beamtalk_dispatch:send(Tool, description, []))},
                                    {<<"parameters">>, {obj, [{<<"type">>, <<"object">>}]}}]}}]}
     || {N, Tool} <- lists:sort(maps:to_list(Table))].

%% Run one tool the model asked for; answer the `tool` message carrying its result.
run_tool_call(#{label := Label, tools := Tools}, Call) ->
    Function = beamtalk_json:get(<<"function">>, Call),
    ToolName = beamtalk_json:get(<<"name">>, Function),
    case is_binary(ToolName) of
        true -> ok;
        false -> beamtalk_error:raise(model_bad_tool_call,
                                      #{model => Label, call => excerpt(beamtalk_json:encode(Call))})
    end,
    Arguments = case beamtalk_json:get(<<"arguments">>, Function, null) of
                    Empty when Empty =:= null; Empty =:= <<>> -> {obj, []};
                    Text when is_binary(Text) ->
                        case beamtalk_json:decode(Text) of
                            {ok, V} -> V;
                            error -> beamtalk_error:raise(model_tool_arguments,
                                                          #{model => Label, tool => ToolName,
                                                            arguments => excerpt(Text)})
                        end;
                    Given -> Given
                end,
    Result = beamtalk_future:awaited(
               beamtalk_dispatch:send(Tools, 'call:with:', [ToolName, from_json(Arguments)])),
    {obj, [{<<"role">>, <<"tool">>},
           {<<"tool_call_id">>, beamtalk_json:get(<<"id">>, Call, null)},
           {<<"content">>, display(Result)}]}.

%% JSON data as Beamtalk values: objects become Dictionaries with Symbol keys.
from_json({obj, Members}) -> maps:from_list([{binary_to_atom(K, utf8), from_json(V)}
                                             || {K, V} <- Members]);
from_json(L) when is_list(L) -> [from_json(V) || V <- L];
from_json(null) -> nil;
from_json(V) -> V.

post_json(Label, Url, Body) ->
    _ = application:ensure_all_started(inets),
    _ = case Url of
            <<"https:", _/binary>> -> application:ensure_all_started(ssl);
            _ -> ok
        end,
    Headers = [{"accept", "application/json"}]
        ++ case os:getenv(binary_to_list(?API_KEY_VAR)) of
               Key when is_list(Key), Key =/= "" -> [{"authorization", "Bearer " ++ Key}];
               _ -> []
           end,
    Request = {binary_to_list(Url), Headers, "application/json", beamtalk_json:encode(Body)},
    Timeout = http_timeout(),
    case httpc:request(post, Request, [{timeout, Timeout}, {connect_timeout, Timeout}],
                       [{body_format, binary}]) of
        {ok, {{_, Status, _}, _, Raw}} when Status >= 200, Status < 300 ->
            case beamtalk_json:decode(Raw) of
                {ok, V} -> V;
                error -> beamtalk_error:raise(model_not_json,
                                              #{model => Label, url => Url,
                                                reply => excerpt(lossy(Raw))})
            end;
        {ok, {{_, Status, _}, _, Raw}} ->
            case excerpt(lossy(Raw)) of
                <<>> -> beamtalk_error:raise(model_http_status,
                                             #{model => Label, status => Status, url => Url});
                Detail -> beamtalk_error:raise(model_http_status_detail,
                                               #{model => Label, status => Status, url => Url,
                                                 detail => Detail})
            end;
        {error, timeout} ->
            beamtalk_error:raise(model_no_reply, #{model => Label, url => Url,
                                                   seconds => seconds(Timeout)});
        {error, Reason} ->
            beamtalk_error:raise(model_unreachable, #{model => Label, url => Url,
                                                      reason => reason_text(Reason)})
    end.

seconds(Ms) when Ms rem 1000 =:= 0 -> integer_to_binary(Ms div 1000);
seconds(Ms) -> beamtalk_json:encode(Ms / 1000).

reason_text({failed_connect, [{to_address, _}, {inet, _, Why} | _]}) ->
    unicode:characters_to_binary(inet:format_error(Why));
reason_text(Reason) -> unicode:characters_to_binary(io_lib:format("~tp", [Reason])).

lossy(Raw) ->
    case unicode:characters_to_binary(Raw) of
        B when is_binary(B) -> B;
        _ -> << <<C/utf8>> || <<C>> <= Raw >>
    end.

%% `choices[0].message` of a chat-completions reply (or the provider's error).
first_message(Label, Url, Reply) ->
    case beamtalk_json:get(<<"error">>, Reply, null) of
        Falsy when Falsy =:= null; Falsy =:= false; Falsy =:= <<>> -> ok;
        Error ->
            Detail = case beamtalk_json:get(<<"message">>, Error) of
                         Text when is_binary(Text) -> Text;
                         _ -> excerpt(beamtalk_json:encode(Error))
                     end,
            beamtalk_error:raise(model_error_reply, #{model => Label, url => Url, detail => Detail})
    end,
    Message = case beamtalk_json:get(<<"choices">>, Reply) of
                  [First | _] -> beamtalk_json:get(<<"message">>, First);
                  _ -> undefined
              end,
    case Message of
        {obj, _} -> Message;
        _ -> beamtalk_error:raise(model_unexpected_reply,
                                  #{model => Label, url => Url,
                                    reply => excerpt(beamtalk_json:encode(Reply))})
    end.

-spec excerpt(binary()) -> binary().
%% @doc The text on one line, cut to 200 characters (plus `...`).
excerpt(Text) ->
    Flat = unicode:characters_to_binary(
             lists:join(" ", string:lexemes(unicode:characters_to_list(Text), " \t\n\r\f\v"))),
    case string:length(Flat) =< ?EXCERPT of
        true -> Flat;
        false -> <<(unicode:characters_to_binary(string:slice(Flat, 0, ?EXCERPT)))/binary, "...">>
    end.
