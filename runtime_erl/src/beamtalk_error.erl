%% Exception values and raising them.  Texts come from the table shared with the
%% interpreter (stdlib/errors.tsv), compiled at build time into beamtalk_error_texts.
%%
%% An exception is `{'$exc', ClassName, Fields}`: Fields maps the user fields (plain atoms)
%% and what every exception carries, under keys no Beamtalk field can have:
%% '$messageText' (a String or nil), '$selector', '$receiver', '$arguments'.
%% Raising is `erlang:error(Exception)`: the term itself is the reason.
-module(beamtalk_error).
-export([new/2, new/3, raise/2, raise/3, text/2, signal/1, of_class/2, kind/1,
         message_text/1, selector/1, receiver/1, arguments/1, field/2, with_field/3,
         error_line/1, snake_case/1, is_exception/1]).

-type exc() :: {'$exc', atom(), map()}.
-export_type([exc/0]).

-spec new(atom(), map()) -> exc().
%% @doc The exception of a table entry, its placeholders filled from Bindings.
new(Id, Bindings) -> new(Id, Bindings, #{}).

-spec new(atom(), map(), map()) -> exc().
%% @doc Like new/2, also setting `selector`, `receiver`, `arguments` from Context.
new(Id, Bindings, Context) ->
    {Class, _} = beamtalk_error_texts:entry(Id),
    Fields = #{'$messageText' => text(Id, Bindings),
               '$selector' => maps:get(selector, Context, nil),
               '$receiver' => maps:get(receiver, Context, nil),
               '$arguments' => maps:get(arguments, Context, nil)},
    {'$exc', Class, kind_field(Id, Fields)}.

%% An internal failure (an Erlang error no Beamtalk rule covers) is an Error whose kind is
%% `internal_error`, the kind the interpreter reports for its own failures.
kind_field(internal_error, Fields) -> Fields#{'$kind' => internal_error};
kind_field(_, Fields) -> Fields.

-spec raise(atom(), map()) -> no_return().
%% @doc Signal the exception of a table entry.
raise(Id, Bindings) -> erlang:error(new(Id, Bindings)).

-spec raise(atom(), map(), map()) -> no_return().
%% @doc Signal it with selector/receiver/arguments set.
raise(Id, Bindings, Context) -> erlang:error(new(Id, Bindings, Context)).

-spec signal(exc()) -> no_return().
%% @doc Signal an exception value.
signal({'$exc', _, _} = E) -> erlang:error(E).

-spec of_class(atom(), binary() | nil) -> exc().
%% @doc A fresh exception of a class with this messageText (`Error new`, `signal:`).
of_class(Class, Text) ->
    {'$exc', Class, #{'$messageText' => Text, '$selector' => nil, '$receiver' => nil,
                      '$arguments' => nil}}.

-spec text(atom(), map()) -> binary().
%% @doc The messageText of a table entry.  A binding is text (a binary, inserted as is),
%% an Integer or Symbol (its digits or name), or any other value (its printString).
text(Id, Bindings) ->
    {_, Pieces} = beamtalk_error_texts:entry(Id),
    iolist_to_binary([piece(P, Id, Bindings) || P <- Pieces]).

piece(Text, _, _) when is_binary(Text) -> Text;
piece(Name, Id, Bindings) ->
    case maps:find(Name, Bindings) of
        {ok, Value} -> binding_text(Value);
        error -> erlang:error({missing_error_binding, Id, Name})
    end.

binding_text(V) when is_binary(V) -> V;
binding_text(V) when is_integer(V) -> integer_to_binary(V);
binding_text(V) when is_atom(V), V =/= nil, V =/= true, V =/= false -> atom_to_binary(V);
binding_text(V) -> beamtalk_print:print_string(V).

-spec kind(exc()) -> atom().
%% @doc The exception's kind: `internal_error` for an internal failure, else its class's
%% declared `kind`, else the snake_case of its name.
kind({'$exc', _, #{'$kind' := Kind}}) -> Kind;
kind({'$exc', Class, _}) ->
    case beamtalk_error_texts:declared_kind(Class) of
        undefined -> binary_to_atom(snake_case(atom_to_binary(Class)));
        Kind -> Kind
    end.

-spec snake_case(binary()) -> binary().
%% @doc `AgentError` -> `agent_error`; an uppercase run is one word (`HTTPError` -> `http_error`).
snake_case(Name) ->
    Words = re:run(Name, "[A-Z]+(?=[A-Z][a-z0-9]|\\b|_)|[A-Z]?[a-z0-9]+|[A-Z]+",
                   [global, {capture, first, binary}]),
    case Words of
        {match, Found} -> iolist_to_binary(lists:join("_", [string:lowercase(W) || [W] <- Found]));
        nomatch -> string:lowercase(Name)
    end.

-spec message_text(exc()) -> binary() | nil.
message_text({'$exc', _, F}) -> maps:get('$messageText', F, nil).
-spec selector(exc()) -> term().
selector({'$exc', _, F}) -> maps:get('$selector', F, nil).
-spec receiver(exc()) -> term().
receiver({'$exc', _, F}) -> maps:get('$receiver', F, nil).
-spec arguments(exc()) -> term().
arguments({'$exc', _, F}) -> maps:get('$arguments', F, nil).
-spec field(exc(), atom()) -> term().
%% @doc A user field (nil when absent).
field({'$exc', _, F}, Name) -> maps:get(Name, F, nil).
-spec with_field(exc(), atom(), term()) -> exc().
%% @doc A copy with a field set (exceptions are values).
with_field({'$exc', C, F}, Name, Value) -> {'$exc', C, F#{Name => Value}}.

-spec is_exception(term()) -> boolean().
is_exception(X) -> is_tuple(X) andalso tuple_size(X) =:= 3 andalso element(1, X) =:= '$exc'.

-spec error_line(exc()) -> binary().
%% @doc `ERROR: kind: text`, or `ERROR: kind` without a text (what the REPL prints).
error_line(E) ->
    Kind = atom_to_binary(kind(E)),
    case message_text(E) of
        nil -> <<"ERROR: ", Kind/binary>>;
        <<>> -> <<"ERROR: ", Kind/binary>>;  % an empty text is no text
        Text -> iolist_to_binary(["ERROR: ", Kind, ": ", beamtalk_print:display_string(Text)])
    end.
