#!/usr/bin/env escript
%%! +P 1000000 +Q 1000000
%% bench/io.sh's Erlang echo server: gen_tcp with {active, once}, a pool of acceptor processes and a process per
%% connection, as Ergon's TcpServer beside it. Prints "port N"; answers "mem" on stdin with erlang:memory(total)
%% after a collection of every process, and the RSS, in bytes; ends on "quit" or the end of stdin.
-mode(compile).

main(Args) ->
    Acceptors = case Args of [A] -> list_to_integer(A); _ -> 4 end,
    {ok, Listen} = gen_tcp:listen(0, [binary, {active, false}, {reuseaddr, true}, {backlog, 4096},
                                      {nodelay, true}, {ip, {127, 0, 0, 1}}]),
    {ok, Port} = inet:port(Listen),
    [spawn(fun() -> accept(Listen) end) || _ <- lists:seq(1, Acceptors)],
    io:format("port ~p~n", [Port]),
    commands().

accept(Listen) ->
    {ok, Socket} = gen_tcp:accept(Listen),
    Pid = spawn(fun() -> receive go -> ok end, inet:setopts(Socket, [{active, once}]), echo(Socket) end),
    ok = gen_tcp:controlling_process(Socket, Pid),
    Pid ! go,
    accept(Listen).

echo(Socket) ->
    receive
        {tcp, Socket, Data} ->
            gen_tcp:send(Socket, Data),
            inet:setopts(Socket, [{active, once}]),
            echo(Socket);
        {tcp_closed, Socket} -> ok;
        {tcp_error, Socket, _} -> ok
    end.

commands() ->
    case io:get_line("") of
        "mem\n" ->
            [erlang:garbage_collect(P) || P <- processes()],
            io:format("mem ~p ~p ~p~n", [erlang:memory(total), rss(), erlang:system_info(process_count)]),
            commands();
        eof -> ok;
        "quit\n" -> ok;
        _ -> commands()
    end.

rss() ->
    {ok, Status} = file:read_file("/proc/" ++ os:getpid() ++ "/status"),
    [Line] = [L || L <- binary:split(Status, <<"\n">>, [global]), binary:match(L, <<"VmRSS:">>) =/= nomatch],
    [Kb | _] = string:lexemes(binary_to_list(binary:part(Line, 6, byte_size(Line) - 6)), " \t"),
    list_to_integer(Kb) * 1024.
