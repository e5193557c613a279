%% The primitive table of Beamtalk (class side): the class list and workspace globals.
-module(beamtalk_beamtalk).
-export(['class allClasses'/1, 'class classNamed:'/2, 'class version'/1, 'class at:'/2,
         'class at:put:'/3, 'class includesKey:'/2]).

'class allClasses'(_) -> [beamtalk_value:class(C) || C <- beamtalk_classes:all_classes()].

'class classNamed:'(_, Name) ->
    Atom = beamtalk_reflection:name_of('classNamed:', Name),
    %% A class this node lacks may be one of a node that sent code here (LANGUAGE.md 3.8).
    case beamtalk_classes:exists(Atom) orelse beamtalk_node:fetch_class(Atom) of
        true -> beamtalk_value:class(Atom);
        false -> nil
    end.

'class version'(_) ->
    Vsn = case application:get_key(beamtalk_runtime, vsn) of
              {ok, V} -> V;
              undefined -> "unknown"
          end,
    iolist_to_binary(["Beamtalk ", Vsn, " (beam)"]).

'class at:'(_, Key) ->
    Name = beamtalk_reflection:name_of('at:', Key),
    case beamtalk_classes:global_value(Name) of
        {ok, Value} -> Value;
        error -> beamtalk_error:raise(key_not_found,
                                      #{key => beamtalk_print:print_string(Name)})
    end.

'class at:put:'(_, Key, Value) ->
    beamtalk_classes:set_global(beamtalk_reflection:name_of('at:put:', Key), Value).

'class includesKey:'(_, Key) ->
    beamtalk_classes:global_value(beamtalk_reflection:name_of('includesKey:', Key)) =/= error.
