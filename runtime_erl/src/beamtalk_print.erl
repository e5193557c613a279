%% printString and displayString of every kind of value (LANGUAGE.md 4), identical to the
%% interpreter's.  Answers UTF-8 binaries.  Collections print their elements recursively
%% the same way (the dispatcher will route user overrides of printString here later).
-module(beamtalk_print).
-export([print_string/1, display_string/1, string_literal/1, symbol_literal/1,
         symbol_name_literal/1, char_literal/1, description/1]).

-spec print_string(term()) -> binary().
%% @doc The developer-facing text of a value.
print_string(V) -> iolist_to_binary(render(V, print)).

-spec display_string(term()) -> binary().
%% @doc The user-facing text of a value.
display_string(V) when is_binary(V) -> V;
display_string(V) when is_atom(V), V =/= nil, V =/= true, V =/= false -> atom_to_binary(V);
display_string({'$char', C}) -> unicode:characters_to_binary([C]);
display_string({'$exc', _, _} = E) -> description(E);
display_string(V) -> iolist_to_binary(render(V, display)).

-spec description(tuple()) -> binary().
%% @doc An exception's messageText (its displayString, through dispatch, when it is no
%% String), or its class name with an article.
description({'$exc', Class, Fields}) ->
    case maps:get('$messageText', Fields, nil) of
        nil -> beamtalk_value:article(atom_to_binary(Class));
        Text -> beamtalk_object:send_display_string(Text)
    end.

render(nil, _) -> <<"nil">>;
render(true, _) -> <<"true">>;
render(false, _) -> <<"false">>;
render(X, _) when is_integer(X) -> integer_to_binary(X);
render(X, _) when is_float(X) -> beamtalk_float_text:format(X);
render(X, _) when is_binary(X) -> string_literal(X);
render(X, _) when is_atom(X) -> symbol_literal(X);
render(X, How) when is_list(X) -> ["#(", join([text(E, How) || E <- X]), ")"];
render(X, How) when is_map(X) ->
    Pairs = [[text(K, How), " => ", text(V, How)] || {K, V} <- beamtalk_order:sorted_pairs(X)],
    ["#{", join(Pairs), "}"];
render(X, _) when is_function(X) ->
    {arity, N} = erlang:fun_info(X, arity),
    ["a Block/", integer_to_binary(N)];
render({'$char', C}, _) -> char_literal(C);
render({'$set', _} = S, How) ->
    Sorted = beamtalk_order:sort(beamtalk_value:set_elements(S)),
    ["Set(", join([text(E, How) || E <- Sorted]), ")"];
render({'$interval', Start, Stop, Step}, _) ->
    By = case Step of
             1 -> [];
             _ -> [" by: ", print_string(Step)]
         end,
    ["(", print_string(Start), " to: ", print_string(Stop), By, ")"];
render({'$assoc', K, V}, How) -> [text(K, How), " -> ", text(V, How)];
render({'$class', _} = C, _) -> beamtalk_value:class_text(C);
render({'$metaclass', _} = C, _) -> beamtalk_value:class_text(C);
render({'$method', Owner, Selector, _}, _) ->
    [beamtalk_value:class_text(Owner), ">>#", atom_to_binary(Selector)];
render({'$message', Selector, _}, _) -> ["a Message(", symbol_literal(Selector), ")"];
render({'$actor', Class, Pid, _}, _) ->
    Id = string:trim(pid_to_list(Pid), both, "<>"),
    ["#Actor<", atom_to_binary(Class), ",", Id, ">"];
render({'$future', _, _}, _) -> <<"a Future">>;
render({'$exc', Class, Fields}, _) ->
    Name = beamtalk_value:article(atom_to_binary(Class)),
    %% an empty text is no text, as in the REPL's `ERROR: kind` line
    case maps:get('$messageText', Fields, nil) of
        nil -> Name;
        <<>> -> Name;
        Text -> [Name, ": ", beamtalk_object:send_display_string(Text)]
    end;
render({'$inst', Class, Fields}, _) ->
    Name = beamtalk_value:article(atom_to_binary(Class)),
    case beamtalk_value:field_names(Class, Fields) of
        [] -> Name;
        Names ->
            Shown = [[atom_to_binary(N), ": ", text(maps:get(N, Fields, nil), print)]
                     || N <- Names],
            [Name, "(", join(Shown), ")"]
    end;
render(X, How) when is_tuple(X) -> ["{", join([text(E, How) || E <- tuple_to_list(X)]), "}"].

%% A value instance or exception may print itself its own way (a Beamtalk printString).
text({'$future', _, _} = F, How) ->
    %% An element prints by a send of printString, which a future forwards to its value.
    text(beamtalk_future:value(F), How);
text({Tag, _, _} = V, How) when Tag =:= '$inst'; Tag =:= '$exc' ->
    beamtalk_object:element_text(V, How);
text({Tag, _} = V, How) when Tag =:= '$class'; Tag =:= '$metaclass' ->
    beamtalk_object:element_text(V, How);  % a class side may print its own way
text(V, print) -> print_string(V);
text(V, display) -> display_string(V).

join(Parts) -> lists:join(", ", Parts).

-spec string_literal(binary()) -> binary().
%% @doc A String as source: single-quoted, or double-quoted with escapes if it has controls.
string_literal(S) ->
    Chars = unicode:characters_to_list(S),
    case lists:any(fun is_control/1, Chars) of
        true -> unicode:characters_to_binary([$", [escape(C) || C <- Chars], $"]);
        false -> unicode:characters_to_binary([$', [quote(C) || C <- Chars], $'])
    end.

escape($\n) -> "\\n";
escape($\t) -> "\\t";
escape($\r) -> "\\r";
escape($\\) -> "\\\\";
escape($") -> "\\\"";
escape(${) -> "\\{";
escape($}) -> "\\}";
escape(C) -> C.

quote($') -> "''";
quote(C) -> C.

%% Unicode category Cc: C0 controls, DEL and C1 controls.
is_control(C) -> C < 32 orelse (C >= 127 andalso C < 160).

-spec symbol_literal(atom()) -> binary().
%% @doc `#foo`, `#at:put:`, `#+`, or `#'any text'`.
symbol_literal(Atom) -> symbol_name_literal(atom_to_binary(Atom)).

-spec symbol_name_literal(binary()) -> binary().
%% @doc The literal of the Symbol with this name (without making the atom).
symbol_name_literal(Name) ->
    case is_identifier(Name) orelse is_keywords(Name) orelse is_operator(Name) of
        true -> <<"#", Name/binary>>;
        false ->
            Chars = unicode:characters_to_list(Name),
            Quoted = unicode:characters_to_binary([quote(C) || C <- Chars]),
            <<"#'", Quoted/binary, "'">>
    end.

is_identifier(Name) -> match(Name, "\\A[A-Za-z_][A-Za-z0-9_]*\\z").
is_keywords(Name) -> match(Name, "\\A([A-Za-z_][A-Za-z0-9_]*:)+\\z").
%% A run of operator characters that reads back as one operator: it must not contain a
%% comment start (`//`, `/*`).
is_operator(Name) ->
    match(Name, "\\A[-+*/\\\\<>=~%&@?]+\\z")
        andalso binary:match(Name, [<<"//">>, <<"/*">>]) =:= nomatch.

match(Name, Pattern) -> re:run(Name, Pattern, [{capture, none}]) =:= match.

-spec char_literal(non_neg_integer()) -> binary().
%% @doc `$a`, `$\n`, or `(Character value: 7)` for other control characters.
char_literal($\n) -> <<"$\\n">>;
char_literal($\t) -> <<"$\\t">>;
char_literal($\r) -> <<"$\\r">>;
char_literal($\\) -> <<"$\\\\">>;
char_literal(C) ->
    case is_control(C) of
        true -> iolist_to_binary(["(Character value: ", integer_to_binary(C), ")"]);
        false -> unicode:characters_to_binary([$$, C])
    end.
