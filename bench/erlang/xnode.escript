#!/usr/bin/env escript
%%! -start_epmd false -kernel inet_dist_use_interface {127,0,0,1}
%% Cross-node workloads of the side-by-side benchmark (bench/run.sh), Erlang's side; the Java side is
%% io.ergon.bench.xnode.XnodeServer / XnodeClient, with the same processes, message shapes and checks.
%%   escript xnode.escript server NAME COOKIE
%%       starts node NAME (short name, via the EPMD at $ERL_EPMD_PORT) with a registered sink (bench_sink: counts
%%       {msg, I} messages; answers {sync, From, Ref} with {Ref, Count} and starts again from 0) and a registered
%%       gen_server (bench_echo: replies to a call with the request; to 'pid' with its own pid); prints READY and
%%       runs until its standard input closes.
%%   escript xnode.escript client NAME COOKIE SERVER PAIRING RUNS WARMUPS MESSAGES CALLS LINKS
%%       runs each workload against SERVER from one process and prints RESULT|workload|PAIRING|unit|v1,...
%%   escript xnode.escript idle NAME COOKIE PEER COUNT
%%       the measured node of the idle-cost row: COUNT idle processes (receive after infinity) and one connection to
%%       PEER; prints READY and does nothing until its standard input closes (bench/run.sh reads its CPU time from
%%       /proc meanwhile).
-mode(compile).
-export([init/1, handle_call/3, handle_cast/2]).

main(["server", Name, Cookie]) ->
    start(Name, Cookie),
    register(bench_sink, spawn(fun() -> sink(0) end)),
    {ok, _} = gen_server:start({local, bench_echo}, ?MODULE, [], []),
    io:format("READY ~s~n", [node()]),
    wait_eof();
main(["client", Name, Cookie, Server, Pairing, Runs, Warmups, Messages, Calls, Links]) ->
    start(Name, Cookie),
    S = list_to_atom(Server),
    true = net_kernel:connect_node(S),
    R = list_to_integer(Runs),
    W = list_to_integer(Warmups),
    M = list_to_integer(Messages),
    C = list_to_integer(Calls),
    L = list_to_integer(Links),
    bench(xstream, Pairing, "msg/s", R, W, fun() -> stream(S, M) end),
    bench(xcall, Pairing, "calls/s", R, W, fun() -> calls(S, C) end),
    bench(xlink, Pairing, "link+unlink/s", R, W, fun() -> links(S, L) end),
    bench(xmonitor, Pairing, "monitor+demonitor/s", R, W, fun() -> monitors(S, L) end);
main(["idle", Name, Cookie, Peer, Count]) ->
    start(Name, Cookie),
    [spawn(fun() -> receive after infinity -> ok end end) || _ <- lists:seq(1, list_to_integer(Count))],
    pong = net_adm:ping(list_to_atom(Peer)),
    io:format("READY ~s~n", [node()]),
    wait_eof();
main(_) ->
    io:format(standard_error, "usage: see the head of xnode.escript~n", []),
    halt(2).

start(Name, Cookie) ->
    {ok, _} = net_kernel:start([list_to_atom(Name), shortnames]),
    erlang:set_cookie(node(), list_to_atom(Cookie)).

wait_eof() ->
    case io:get_line("") of
        eof -> halt(0);
        _ -> wait_eof()
    end.

bench(Workload, Pairing, Unit, R, W, F) ->
    Values = lists:nthtail(W, [in_process(F) || _ <- lists:seq(1, R + W)]),
    Vs = lists:join(",", [float_to_list(float(V), [{decimals, 1}]) || V <- Values]),
    io:format("RESULT|~s|~s|~s|~s~n", [Workload, Pairing, Unit, Vs]).

%% Runs F in a fresh process (as the Java side runs each workload in a fresh process) and returns its figure.
in_process(F) ->
    Self = self(),
    P = spawn(fun() -> Self ! {figure, self(), F()} end),
    receive {figure, P, V} -> V after 300000 -> io:format(standard_error, "timeout~n", []), halt(1) end.

now_ns() -> erlang:monotonic_time(nanosecond).
rate(Count, T0, T1) -> Count / ((T1 - T0) / 1.0e9).

check(What, Expected, Actual) when Expected =:= Actual -> What;
check(What, Expected, Actual) ->
    io:format(standard_error, "~s: expected ~p, got ~p~n", [What, Expected, Actual]),
    halt(1).

%% N messages {msg, I} to the registered sink, then a sync whose answer carries the sink's count.
stream(S, N) ->
    T0 = now_ns(),
    send_loop(S, N),
    Count = sync(S),
    T1 = now_ns(),
    check("messages the sink counted", N, Count),
    rate(N, T0, T1).

send_loop(_, 0) -> ok;
send_loop(S, I) -> {bench_sink, S} ! {msg, I}, send_loop(S, I - 1).

sync(S) ->
    Ref = make_ref(),
    {bench_sink, S} ! {sync, self(), Ref},
    receive {Ref, Count} -> Count after 300000 -> halt(1) end.

calls(S, N) ->
    T0 = now_ns(),
    Ok = call_loop(S, N, 0),
    T1 = now_ns(),
    check("calls answered", N, Ok),
    rate(N, T0, T1).

call_loop(_, 0, Ok) -> Ok;
call_loop(S, I, Ok) ->
    case gen_server:call({bench_echo, S}, {msg, I}) of
        {msg, I} -> call_loop(S, I - 1, Ok + 1);
        _ -> call_loop(S, I - 1, Ok)
    end.

%% N link+unlink pairs with the echo server, then one call, which per-pair ordering answers after all of them.
links(S, N) ->
    P = gen_server:call({bench_echo, S}, pid),
    T0 = now_ns(),
    link_loop(P, N),
    {msg, 0} = gen_server:call({bench_echo, S}, {msg, 0}),
    T1 = now_ns(),
    check("links left", [], [X || X <- element(2, process_info(self(), links)), X =:= P]),
    rate(N, T0, T1).

link_loop(_, 0) -> ok;
link_loop(P, N) -> link(P), unlink(P), link_loop(P, N - 1).

monitors(S, N) ->
    P = gen_server:call({bench_echo, S}, pid),
    T0 = now_ns(),
    monitor_loop(P, N),
    {msg, 0} = gen_server:call({bench_echo, S}, {msg, 0}),
    T1 = now_ns(),
    check("monitors left", [], element(2, process_info(self(), monitors))),
    rate(N, T0, T1).

monitor_loop(_, 0) -> ok;
monitor_loop(P, N) -> demonitor(monitor(process, P)), monitor_loop(P, N - 1).

sink(Count) ->
    receive
        {msg, _} -> sink(Count + 1);
        {sync, From, Ref} -> From ! {Ref, Count}, sink(0)
    end.

init([]) -> {ok, nostate}.
handle_call(pid, _From, State) -> {reply, self(), State};
handle_call(Request, _From, State) -> {reply, Request, State}.
handle_cast(_, State) -> {noreply, State}.
