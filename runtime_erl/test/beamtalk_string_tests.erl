%% EUnit: String positions over UTF-8 (at:, copyFrom:to:, size), which walk the bytes several
%% ASCII bytes at a time, checked against a list of code points on texts that mix ASCII runs
%% of every length around the step sizes with two-, three- and four-byte characters.
-module(beamtalk_string_tests).
-include_lib("eunit/include/eunit.hrl").

-define(raises(Class, Expr), ?assertError({'$exc', Class, _}, Expr)).

%% Texts: ASCII runs of 0..130 characters between non-ASCII ones, in a few arrangements.
texts() ->
    Wide = [16#e9, 16#20ac, 16#1f600],
    Runs = [0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 130],
    [lists:append([lists:duplicate(R, $a + (R rem 26)) ++ [lists:nth(1 + R rem 3, Wide)]
                   || R <- Rs])
     || Rs <- [Runs, lists:reverse(Runs), [130, 0, 64], [200], [5]]]
        ++ [lists:duplicate(N, $x) || N <- [0, 1, 8, 64, 65, 300]].

positions_test() ->
    lists:foreach(fun check/1, texts()).

check(CodePoints) ->
    S = unicode:characters_to_binary(CodePoints),
    N = length(CodePoints),
    ?assertEqual(N, beamtalk_string:size(S)),
    Ends = lists:usort([1, 2, 8, 9, 63, 64, 65, 66, 128, 129, N - 1, N]),
    Valid = [I || I <- Ends, I >= 1, I =< N],
    [?assertEqual({'$char', lists:nth(I, CodePoints)}, beamtalk_string:'at:'(S, I))
     || I <- Valid],
    [?assertEqual(unicode:characters_to_binary(lists:sublist(CodePoints, A, B - A + 1)),
                  beamtalk_string:'copyFrom:to:'(S, A, B))
     || A <- Valid, B <- Valid, B >= A],
    ?raises('IndexOutOfBounds', beamtalk_string:'at:'(S, N + 1)),
    ?raises('IndexOutOfBounds', beamtalk_string:'at:'(S, 0)),
    ?raises('IndexOutOfBounds', beamtalk_string:'copyFrom:to:'(S, 1, N + 1)),
    ?raises('IndexOutOfBounds', beamtalk_string:'copyFrom:to:'(S, N + 1, N + 1)),
    ?assertEqual(<<>>, beamtalk_string:'copyFrom:to:'(S, 5, 4)).
