%% Test fixtures: Core Erlang texts of the shapes docs/native-backend.md describes, made
%% from Erlang source (compiled to Core and printed), so tests load them as compiler_bt's
%% output is loaded: through beamtalk_loader.
-module(beamtalk_fixture).
-export([core/1, load_class/1, load_method/1, run/2, fresh/0]).

-spec core(string()) -> binary().
%% @doc The Core Erlang text of an Erlang module source.
core(Source) ->
    {ok, Tokens, _} = erl_scan:string(Source),
    Forms = split_forms(Tokens, [], []),
    {ok, _, Core} = compile:noenv_forms(Forms, [to_core, binary, return_errors]),
    unicode:characters_to_binary(core_pp:format(Core)).

split_forms([], [], Acc) -> lists:reverse(Acc);
split_forms([{dot, _} = Dot | Rest], Current, Acc) ->
    {ok, Form} = erl_parse:parse_form(lists:reverse([Dot | Current])),
    split_forms(Rest, [], [Form | Acc]);
split_forms([T | Rest], Current, Acc) -> split_forms(Rest, [T | Current], Acc).

load_class(Source) ->
    {ok, Class} = beamtalk_loader:load_class(core(Source)),
    Class.

load_method(Source) ->
    {ok, Method} = beamtalk_loader:load_method(core(Source)),
    Method.

-spec run(string(), map()) -> {term(), map()}.
%% @doc Load a statement module's source and run it with Env.
run(Source, Env) ->
    {ok, Module} = beamtalk_loader:load_statement(core(Source)),
    Module:run(Env).

-spec fresh() -> ok.
%% @doc A started runtime with no user classes.
fresh() ->
    ok = beamtalk_classes:ensure_started(),
    beamtalk_classes:reset().
