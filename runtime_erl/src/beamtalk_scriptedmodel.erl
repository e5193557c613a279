-module(beamtalk_scriptedmodel).
%% @doc The primitive of stdlib/ScriptedModel.bt: `ScriptedModel replies: #('a', 'b')`
%% (the replies themselves are picked by the Beamtalk method `reply:context:tools:turn:`).

-export(['class replies:'/2]).

-spec 'class replies:'(term(), term()) -> tuple().
%% @doc A model answering these Strings in order (at least one), then repeating the last.
'class replies:'(_Class, Replies0) ->
    Replies = case beamtalk_dispatch:send(Replies0, await, []) of
                  L when is_list(L) -> L;
                  T when is_tuple(T) ->
                      case beamtalk_value:class_name(T) of
                          'Tuple' -> tuple_to_list(T);
                          _ -> bad(T)
                      end;
                  Other -> bad(Other)
              end,
    case Replies of
        [] -> beamtalk_error:raise(no_replies, #{});
        _ -> ok
    end,
    [beamtalk_error:raise(expects_string_list_item,
                          #{selector => 'replies:', kind => beamtalk_value:kind_name(R)})
     || R <- Replies, not is_binary(R)],
    beamtalk_object:new_instance('ScriptedModel', #{replies => Replies}).

bad(V) ->
    beamtalk_error:raise(expects_string_list, #{selector => 'replies:',
                                                kind => beamtalk_value:kind_name(V)}).
