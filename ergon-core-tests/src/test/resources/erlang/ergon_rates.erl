%% The Erlang side of SlowLinkFigures (compiled, as the shell's interpreted funs would measure erl_eval, not the
%% link): calls to a registered echo loop from K callers for a while, and a stream of numbers to a registered counter
%% on another node that checks their order.
-module(ergon_rates).
-export([calls/3, stream/2, counter/2]).

%% {Calls, Millis}: K processes call Dest ({echo, Node}) one call after another for Ms milliseconds.
calls(Dest, Ms, K) ->
    Self = self(),
    T0 = erlang:monotonic_time(millisecond),
    End = T0 + Ms,
    [spawn(fun() -> Self ! {count, call_loop(Dest, End, 0)} end) || _ <- lists:seq(1, K)],
    Total = lists:sum([receive {count, X} -> X end || _ <- lists:seq(1, K)]),
    {Total, erlang:monotonic_time(millisecond) - T0}.

call_loop(Dest, End, N) ->
    case erlang:monotonic_time(millisecond) >= End of
        true -> N;
        false ->
            {ok, {n, N}} = gen:call(Dest, '$gen_call', {n, N}, 30000),
            call_loop(Dest, End, N + 1)
    end.

%% {N, Millis}: N numbers to a counter registered on Node, until it says all came in order.
stream(Node, N) ->
    Me = self(),
    true = erpc:call(Node, erlang, register, [counter, spawn(Node, ?MODULE, counter, [Me, N])]),
    T0 = erlang:monotonic_time(millisecond),
    send_all({counter, Node}, 1, N),
    receive {all_in_order, N} -> ok after 120000 -> exit(timeout) end,
    {N, erlang:monotonic_time(millisecond) - T0}.

send_all(_, I, N) when I > N -> ok;
send_all(Dest, I, N) -> Dest ! I, send_all(Dest, I + 1, N).

counter(ReportTo, N) -> count(ReportTo, 1, N).

count(ReportTo, I, N) when I > N -> ReportTo ! {all_in_order, N};
count(ReportTo, I, N) -> receive I -> count(ReportTo, I + 1, N) end.
