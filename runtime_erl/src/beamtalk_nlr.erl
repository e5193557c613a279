%% Non-local return (`^v` inside a block): the home method or statement enters a home,
%% a block's `^` throws to it, and a `^` whose home has finished (or lives in another
%% process) signals BlockCannotReturn.  Live homes are kept in the process dictionary.
-module(beamtalk_nlr).
-export([enter/0, leave/1, return/2, caught/4, with_home/1]).

-spec enter() -> reference().
%% @doc Start a home (a method or statement activation whose blocks contain `^`).
enter() ->
    Home = make_ref(),
    put({'$bt_home', Home}, true),
    Home.

-spec leave(reference()) -> ok.
%% @doc The home has finished: a later `^` to it cannot return.
leave(Home) -> erase({'$bt_home', Home}), ok.

-spec return(reference(), term()) -> no_return().
%% @doc `^V` inside a block whose home is Home.
return(Home, Value) ->
    case get({'$bt_home', Home}) of
        true -> throw({'$nlr', Home, Value});
        _ -> beamtalk_error:raise(block_cannot_return, #{})
    end.

-spec caught(reference(), atom(), term(), term()) -> term().
%% @doc The catch clause of a home's `try`: its own return's value, else re-raise.
%% (Leaves the home; Trace is the raw stack trace of the Core `try`, unused.)
caught(Home, throw, {'$nlr', Home, Value}, _Trace) -> leave(Home), Value;
caught(Home, Class, Reason, _Trace) -> leave(Home), erlang:raise(Class, Reason, []).

-spec with_home(fun((reference()) -> term())) -> term().
%% @doc Run Body with a fresh home; answers its value or the value of a `^` to it.
with_home(Body) ->
    Home = enter(),
    try Body(Home) of
        Value -> leave(Home), Value
    catch
        throw:{'$nlr', Home, Value} -> leave(Home), Value;
        Class:Reason:Trace -> leave(Home), erlang:raise(Class, Reason, Trace)
    end.
