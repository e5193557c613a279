%% The primitive table of Dictionary (maps; keys compare with `=:=`, Beamtalk `=`).
%% Whatever runs a block or answers an ordered result walks the keys in standard order.
-module(beamtalk_dictionary).
-export([displayString/1]).
-export([size/1, 'at:'/2, 'at:ifAbsent:'/3, 'at:put:'/3, 'removeKey:'/2, 'includesKey:'/2,
         keys/1, values/1, associations/1, 'keysAndValuesDo:'/2, 'collect:'/2, 'select:'/2,
         'reject:'/2, 'merge:'/2]).

size(D) -> maps:size(D).

'at:'(D, K) ->
    case maps:find(K, D) of
        {ok, V} -> V;
        error -> beamtalk_error:raise(key_not_found, #{key => beamtalk_object:error_text_of(K)})
    end.
'at:ifAbsent:'(D, K, Block) ->
    case maps:find(K, D) of
        {ok, V} -> V;
        error -> beamtalk_block:call(Block, [])
    end.
'at:put:'(D, K, V) -> D#{K => V}.
'removeKey:'(D, K) -> maps:remove(K, D).
'includesKey:'(D, K) -> maps:is_key(K, D).

pairs(D) -> beamtalk_order:sorted_pairs(D).
keys(D) -> [K || {K, _} <- pairs(D)].
values(D) -> [V || {_, V} <- pairs(D)].
associations(D) -> [{'$assoc', K, V} || {K, V} <- pairs(D)].

'keysAndValuesDo:'(D, Block) -> [beamtalk_block:call(Block, [K, V]) || {K, V} <- pairs(D)], D.
'collect:'(D, Block) -> maps:from_list([{K, beamtalk_block:cull(Block, V)} || {K, V} <- pairs(D)]).
'select:'(D, Block) -> maps:from_list([{K, V} || {K, V} <- pairs(D), truth('select:', Block, V)]).
'reject:'(D, Block) ->
    maps:from_list([{K, V} || {K, V} <- pairs(D), not truth('reject:', Block, V)]).

truth(Selector, Block, V) ->
    case beamtalk_block:cull_answer(Block, V) of
        true -> true;
        false -> false;
        Other -> beamtalk_error:raise(expects_boolean_block,
                                      #{selector => Selector,
                                        kind => beamtalk_value:kind_name(Other)})
    end.

%% @doc The argument's entries added (the argument wins).
%% The argument's values win; a key equal to one of the receiver's (0.0, -0.0) stays the
%% receiver's, as on the interpreter (maps:merge would take the argument's key).
'merge:'(D, Other) when is_map(Other) -> maps:fold(fun(K, V, Acc) -> Acc#{K => V} end, D, Other);
'merge:'(_, Other) ->
    beamtalk_error:raise(expects_dictionary, #{selector => 'merge:',
                                               kind => beamtalk_value:kind_name(Other)}).

%% @doc The user-facing text (LANGUAGE.md 4), elements by displayString.
displayString(X) -> beamtalk_print:display_string(X).
