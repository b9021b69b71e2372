%% The Erlang producer of SlowConsumerBackpressureTest: floods a process on another node with
%% {msg, Sender, I, <<Size bytes>>} for a given time, as fast as the distribution lets it (a busy
%% distribution port suspends it), and keeps how many it sent where result/0 finds it.
-module(ergon_flood).
-export([start/3, result/0]).

start(Target, Millis, Size) ->
    persistent_term:put(ergon_flood, running),
    Bin = binary:copy(<<7>>, Size),
    spawn(fun() ->
                  T0 = erlang:monotonic_time(millisecond),
                  N = loop(Target, Bin, 0, T0 + Millis),
                  T1 = erlang:monotonic_time(millisecond),
                  persistent_term:put(ergon_flood, {done, N, T1 - T0})
          end),
    ok.

%% the clock is read every 64 messages; a sender suspended by a busy port reads it when it is let go
loop(Target, Bin, I, End) ->
    case I rem 64 =:= 0 andalso erlang:monotonic_time(millisecond) >= End of
        true -> I;
        false ->
            Target ! {msg, self(), I, Bin},
            loop(Target, Bin, I + 1, End)
    end.

result() -> persistent_term:get(ergon_flood, none).
