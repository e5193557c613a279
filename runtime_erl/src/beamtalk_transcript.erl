%% The primitive table of Transcript (class side): text to standard output; each message
%% answers Transcript.
-module(beamtalk_transcript).
-export(['class show:'/2, 'class showCr:'/2, 'class display:'/2, 'class print:'/2,
         'class cr'/1, 'class tab'/1, 'class space'/1]).

%% Values are written by their displayString (printString for print:) through dispatch, so a
%% class that prints its own way is written its way (as on the interpreter).
'class show:'(T, Value) -> put_text(T, beamtalk_object:send_display_string(Value)).
'class showCr:'(T, Value) -> put_text(T, [beamtalk_object:send_display_string(Value), $\n]).
'class display:'(T, Value) -> put_text(T, beamtalk_object:send_display_string(Value)).
'class print:'(T, Value) -> put_text(T, beamtalk_object:send_print_string(Value)).
'class cr'(T) -> put_text(T, "\n").
'class tab'(T) -> put_text(T, "\t").
'class space'(T) -> put_text(T, " ").

put_text(T, Text) -> beamtalk_io:out(Text), T.
