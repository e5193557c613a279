%% The primitive table of Message (what `doesNotUnderstand:` receives).
-module(beamtalk_message).
-export([selector/1, arguments/1]).

selector({'$message', Selector, _}) -> Selector.
arguments({'$message', _, Arguments}) -> Arguments.
