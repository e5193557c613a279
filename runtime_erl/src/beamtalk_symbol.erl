%% The primitive table of Symbol (atoms other than nil, true and false).
-module(beamtalk_symbol).
-export([displayString/1]).
-export([asString/1, size/1, numArgs/1, keywords/1, '<'/2, '>'/2, '<='/2, '>='/2,
         is_symbol/1]).

-spec is_symbol(term()) -> boolean().
%% @doc True for Symbols: atoms, except the three that are nil and the Booleans.
is_symbol(X) -> is_atom(X) andalso X =/= nil andalso X =/= true andalso X =/= false.

asString(S) -> atom_to_binary(S).
size(S) -> length(beamtalk_text:code_points(atom_to_binary(S))).

%% @doc 0 for unary, 1 for binary, the number of colons for keyword selectors.
numArgs(S) ->
    case beamtalk_text:code_points(atom_to_binary(S)) of
        [] -> 0;
        [First | _] = Cs ->
            case First =:= $_ orelse beamtalk_text:is_letter(First) of
                true -> length([C || C <- Cs, C =:= $:]);
                false -> 1
            end
    end.

%% @doc `#at:put: keywords` is `#('at:', 'put:')`; other selectors are one keyword.
keywords(S) ->
    Name = atom_to_binary(S),
    case re:run(Name, "[^:]*:", [global, {capture, first, binary}, unicode]) of
        {match, Parts} ->
            Pieces = [P || [P] <- Parts],
            case iolist_to_binary(Pieces) =:= Name of
                true -> Pieces;
                false -> [Name]
            end;
        nomatch -> [Name]
    end.

'<'(A, B) -> name(A) < name(arg('<', B)).
'>'(A, B) -> name(A) > name(arg('>', B)).
'<='(A, B) -> name(A) =< name(arg('<=', B)).
'>='(A, B) -> name(A) >= name(arg('>=', B)).

name(S) -> atom_to_binary(S).
arg(Selector, B) -> beamtalk_text:compare_arg(expects_symbol, Selector, fun is_symbol/1, B).

%% @doc The user-facing text (LANGUAGE.md 4), elements by displayString.
displayString(X) -> beamtalk_print:display_string(X).
