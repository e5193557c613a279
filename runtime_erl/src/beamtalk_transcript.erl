%% The primitive table of Transcript (class side): text to standard output; each message
%% answers Transcript.
-module(beamtalk_transcript).
-export(['class show:'/2, 'class showCr:'/2, 'class display:'/2, 'class print:'/2,
         'class cr'/1, 'class tab'/1, 'class space'/1]).

'class show:'(T, Value) -> put_text(T, beamtalk_print:display_string(Value)).
'class showCr:'(T, Value) -> put_text(T, [beamtalk_print:display_string(Value), $\n]).
'class display:'(T, Value) -> put_text(T, beamtalk_print:display_string(Value)).
'class print:'(T, Value) -> put_text(T, beamtalk_print:print_string(Value)).
'class cr'(T) -> put_text(T, "\n").
'class tab'(T) -> put_text(T, "\t").
'class space'(T) -> put_text(T, " ").

put_text(T, Text) -> beamtalk_io:out(Text), T.
