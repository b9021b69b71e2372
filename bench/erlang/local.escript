#!/usr/bin/env escript
%% Local workloads of the side-by-side benchmark (bench/run.sh), Erlang's side. Each workload is defined exactly
%% as in ergon-bench's io.ergon.bench.workloads.LocalSystem: same process shapes, same counts, same checks.
%% Usage: escript local.escript WORKLOAD RUNS WARMUPS
%% Prints one line per figure: RESULT|workload|erlang|unit|v1,v2,... (the measured runs, warm-ups left out).
%% The spawn workload needs the process limit raised (+P 2000000 through ERL_FLAGS, as bench/run.sh does).
-mode(compile).
-export([init/1, handle_call/3, handle_cast/2]).

main([Workload, Runs, Warmups]) ->
    R = list_to_integer(Runs),
    W = list_to_integer(Warmups),
    run(list_to_atom(Workload), R, W);
main(_) ->
    io:format(standard_error, "usage: local.escript WORKLOAD RUNS WARMUPS~n", []),
    halt(2).

run(spawn, R, W) ->
    Results = lists:nthtail(W, [spawn_run(1000000) || _ <- lists:seq(1, R + W)]),
    {Rates, Mems} = lists:unzip(Results),
    result(spawn, "spawns/s", Rates),
    result('spawn.mem', "B/process", Mems);
run(Workload, R, W) ->
    {Unit, F} = workload(Workload),
    result(Workload, Unit, lists:nthtail(W, [F() || _ <- lists:seq(1, R + W)])).

workload(pingpong) -> {"round trips/s", fun() -> pairs(1, 1000000) end};
workload(pairs) -> {"round trips/s", fun() -> pairs(1000, 1000) end};
workload(stream1) -> {"msg/s", fun() -> stream(1, 10000000) end};
workload(stream4) -> {"msg/s", fun() -> stream(4, 10000000) end};
workload(call1) -> {"calls/s", fun() -> calls(1, 500000) end};
workload(call100) -> {"calls/s", fun() -> calls(100, 500000) end}.

result(Workload, Unit, Values) ->
    Vs = lists:join(",", [float_to_list(float(V), [{decimals, 1}]) || V <- Values]),
    io:format("RESULT|~s|erlang|~s|~s~n", [Workload, Unit, Vs]).

now_ns() -> erlang:monotonic_time(nanosecond).

rate(Count, T0, T1) -> Count / ((T1 - T0) / 1.0e9).

check(What, Expected, Actual) when Expected =:= Actual -> What;
check(What, Expected, Actual) ->
    io:format(standard_error, "~s: expected ~p, got ~p~n", [What, Expected, Actual]),
    halt(1).

await(Tag) ->
    receive {Tag, V} -> V after 120000 -> io:format(standard_error, "timeout waiting for ~p~n", [Tag]), halt(1) end.

%% 1 and 2: P pairs, N round trips each; the ponger counts the pings it answered.
pairs(P, N) ->
    Self = self(),
    Pingers = [begin
                   Pong = spawn(fun() -> pong(0) end),
                   spawn(fun() -> receive go -> ping(Pong, N, Self) end end)
               end || _ <- lists:seq(1, P)],
    T0 = now_ns(),
    [Pi ! go || Pi <- Pingers],
    Pings = lists:sum([await(done) || _ <- Pingers]),
    T1 = now_ns(),
    check("pings answered", P * N, Pings),
    rate(P * N, T0, T1).

ping(Pong, 0, Parent) ->
    Pong ! {stop, self()},
    receive {pings, C} -> Parent ! {done, C} end;
ping(Pong, N, Parent) ->
    Pong ! {ping, self()},
    receive pong -> ping(Pong, N - 1, Parent) end.

pong(C) ->
    receive
        {ping, From} -> From ! pong, pong(C + 1);
        {stop, From} -> From ! {pings, C}
    end.

%% 3 and 4: S senders share Total messages (integers) to one receiver, timed until the receiver has taken them
%% all; with one sender the receiver also checks the order.
stream(S, Total) ->
    Self = self(),
    Per = Total div S,
    Recv = spawn(fun() -> receive_stream(S, Total, Per, Self) end),
    Senders = [spawn(fun() -> receive go -> send_loop(Recv, Per) end end) || _ <- lists:seq(1, S)],
    T0 = now_ns(),
    [P ! go || P <- Senders],
    {Count, OutOfOrder} = await(received),
    T1 = now_ns(),
    check("messages received", Total, Count),
    check("messages out of order", 0, OutOfOrder),
    rate(Total, T0, T1).

send_loop(_, 0) -> ok;
send_loop(Recv, N) -> Recv ! N, send_loop(Recv, N - 1).

receive_stream(1, Total, Per, Parent) -> receive_ordered(Total, Per, 0, Total, Parent);
receive_stream(_, Total, _, Parent) -> receive_count(Total, Total, Parent).

receive_ordered(0, _, Bad, Total, Parent) -> Parent ! {received, {Total, Bad}};
receive_ordered(Left, Expected, Bad, Total, Parent) ->
    receive
        Expected -> receive_ordered(Left - 1, Expected - 1, Bad, Total, Parent);
        _ -> receive_ordered(Left - 1, Expected - 1, Bad + 1, Total, Parent)
    end.

receive_count(0, Total, Parent) -> Parent ! {received, {Total, 0}};
receive_count(Left, Total, Parent) -> receive _ -> receive_count(Left - 1, Total, Parent) end.

%% 5: spawn N processes that wait in a receive, from one process; memory is erlang:memory(processes) after the
%% spawned processes have all run into their receive, less the spawner's own growth (it holds the pid list).
spawn_run(N) ->
    erlang:garbage_collect(),
    Base = erlang:system_info(process_count),
    M0 = erlang:memory(processes) - own_memory(),
    T0 = now_ns(),
    Pids = spawn_idle(N, []),
    T1 = now_ns(),
    settle(),
    erlang:garbage_collect(),
    M1 = erlang:memory(processes) - own_memory(),
    check("processes alive", Base + N, erlang:system_info(process_count)),
    [exit(P, kill) || P <- Pids],
    wait_count(Base, 6000),
    {rate(N, T0, T1), (M1 - M0) / N}.

own_memory() -> {memory, M} = process_info(self(), memory), M.

idle() -> receive stop -> ok end.

spawn_idle(0, Acc) -> Acc;
spawn_idle(N, Acc) -> spawn_idle(N - 1, [spawn(fun idle/0) | Acc]).

settle() ->
    case erlang:statistics(total_run_queue_lengths_all) of
        0 -> ok;
        _ -> timer:sleep(10), settle()
    end.

wait_count(_, 0) -> halt(1);
wait_count(Base, Tries) ->
    case erlang:system_info(process_count) =< Base of
        true -> ok;
        false -> timer:sleep(10), wait_count(Base, Tries - 1)
    end.

%% 6: C client processes share Total gen_server:call round trips to one echo server.
calls(C, Total) ->
    {ok, Server} = gen_server:start(?MODULE, [], []),
    Self = self(),
    Per = Total div C,
    Clients = [spawn(fun() -> receive go -> Self ! {called, call_loop(Server, Per, 0)} end end)
               || _ <- lists:seq(1, C)],
    T0 = now_ns(),
    [P ! go || P <- Clients],
    Answered = lists:sum([await(called) || _ <- Clients]),
    T1 = now_ns(),
    gen_server:stop(Server),
    check("calls answered", Per * C, Answered),
    rate(Per * C, T0, T1).

call_loop(_, 0, Ok) -> Ok;
call_loop(Server, N, Ok) ->
    case gen_server:call(Server, N) of
        N -> call_loop(Server, N - 1, Ok + 1);
        _ -> call_loop(Server, N - 1, Ok)
    end.

init([]) -> {ok, nostate}.
handle_call(Request, _From, State) -> {reply, Request, State}.
handle_cast(_, State) -> {noreply, State}.
