%% The Erlang side of the soak and chaos run (io.ergon.testing.soak.Soak); io.ergon.testing.soak.SoakNodeMain is its
%% Java twin, and both speak the same messages:
%%   soak_sender (one per peer)  sends {soak_seq, Self, N, Es} to {soak_recv, Peer}, N = 1, 2, ... in batches,
%%                               Es = how many nodedowns of Peer it has seen
%%   soak_recv                   checks each sender's N (the rule is in check/5)
%%   soak_watcher                each round asks every peer's soak_targets for a target (a process that ends
%%                               normally after Life ms), monitors it and links to it, and checks that each monitor
%%                               and each link fires exactly once
%%   soak_sup                    a supervisor whose child soak_victim the run kills (kill_and_wait/1)
%% Counters live in a public ETS table; stats/0 lists them.
-module(soak).
-behaviour(supervisor).
-export([start/6, stats/0, violations/0, quiesce/0, kill_and_wait/1]).
-export([init/1, start_victim/0]).

-define(T, soak_counters).
-define(MAX_NOTES, 20).

start(Peers, Tick, Batch, Life, Round, Grace) ->
    Self = self(),
    spawn(fun() ->
                  ets:new(?T, [named_table, public, set]),
                  [ets:insert(?T, {K, 0}) || K <- counters()],
                  Self ! table_ready,
                  receive stop -> ok end
          end),
    receive table_ready -> ok after 5000 -> error(no_table) end,
    register(soak_recv, spawn(fun() -> ok = net_kernel:monitor_nodes(true), recv(#{}, #{}) end)),
    register(soak_targets, spawn(fun targets/0)),
    register(soak_watcher, spawn(fun() -> watcher(Peers, Round, Life, Grace) end)),
    [spawn(fun() -> ok = net_kernel:monitor_nodes(true), sender(P, Tick, Batch, 1, 0) end) || P <- Peers],
    {ok, Sup} = supervisor:start_link({local, soak_sup}, ?MODULE, []),
    unlink(Sup),
    ok.

counters() ->
    [sent, received, checked, gaps, lost, violations, mon_created, mon_fired, link_created, link_fired,
     targets_made].

count(K) -> count(K, 1).
count(K, N) -> ets:update_counter(?T, K, N).

violation(Format, Args) ->
    V = count(violations),
    %% an atom, so that the ~w rendering of violations/0 shows the text (at most 20 of them)
    V =< ?MAX_NOTES andalso
        ets:insert(?T, {{note, V}, list_to_atom(lists:sublist(lists:flatten(io_lib:format(Format, Args)), 250))}),
    ok.

%% ---- messages in order

sender(Peer, Tick, Batch, N, Es) ->
    receive
        {nodedown, Peer} -> sender(Peer, Tick, Batch, N, Es + 1);
        {nodedown, _} -> sender(Peer, Tick, Batch, N, Es);
        {nodeup, _} -> sender(Peer, Tick, Batch, N, Es)
    after Tick ->
            [{soak_recv, Peer} ! {soak_seq, self(), I, Es} || I <- lists:seq(N, N + Batch - 1)],
            count(sent, Batch),
            sender(Peer, Tick, Batch, N + Batch, Es)
    end.

recv(Last, Downs) ->
    receive
        {nodedown, Node} -> recv(Last, maps:update_with(Node, fun(D) -> D + 1 end, 1, Downs));
        {nodeup, _} -> recv(Last, Downs);
        {soak_seq, From, N, Es} ->
            count(received),
            D = maps:get(node(From), Downs, 0),
            Next = case maps:find(From, Last) of
                       error -> {N, Es, D};
                       {ok, Prev} -> count(checked), check(From, N, Es, D, Prev)
                   end,
            recv(Last#{From => Next}, Downs)
    end.

%% From's message N after its message LN (LEs, LD: the sender's and our nodedown counts then). N must be greater
%% than LN (no duplicate, no reordering). N may skip numbers only if the connection between the two nodes went down
%% between the two messages, as either end saw it: the sender's nodedown count grew, or ours did.
check(From, N, Es, D, {LN, LEs, LD}) ->
    if
        N =< LN ->
            violation("~w: ~w after ~w (duplicated or reordered)", [From, N, LN]),
            {LN, LEs, LD};
        N =:= LN + 1 -> {N, Es, D};
        Es > LEs; D > LD ->
            count(gaps),
            count(lost, N - LN - 1),
            {N, Es, D};
        true ->
            violation("~w: ~w after ~w with no disconnection between (lost on a live connection)", [From, N, LN]),
            {N, Es, D}
    end.

%% ---- links and monitors, each fired exactly once

targets() ->
    receive
        {soak_target, ReplyTo, Life} ->
            T = spawn(fun() -> receive after Life -> ok end end),
            count(targets_made),
            ReplyTo ! {soak_target_pid, T}
    end,
    targets().

watcher(Peers, Round, Life, Grace) ->
    process_flag(trap_exit, true),
    erlang:send_after(Round, self(), round),
    watch(#{}, #{}, true, {Peers, Round, Life, Grace}).

watch(Mons, Links, Active, {Peers, Round, Life, Grace} = Cfg) ->
    receive
        round ->
            Active andalso [{soak_targets, P} ! {soak_target, self(), Life} || P <- Peers],
            erlang:send_after(Round, self(), round),
            watch(Mons, Links, Active, Cfg);
        quiesce ->
            watch(Mons, Links, false, Cfg);
        {soak_target_pid, T} ->
            Now = erlang:monotonic_time(millisecond),
            Ref = erlang:monitor(process, T),
            count(mon_created),
            link(T),
            count(link_created),
            watch(Mons#{Ref => Now}, Links#{T => Now}, Active, Cfg);
        {'DOWN', Ref, process, T, Reason} ->
            case maps:take(Ref, Mons) of
                {_, Rest} -> count(mon_fired), watch(Rest, Links, Active, Cfg);
                error ->
                    violation("monitor ~w of ~w fired again (~w)", [Ref, T, Reason]),
                    watch(Mons, Links, Active, Cfg)
            end;
        {'EXIT', T, Reason} ->
            case maps:take(T, Links) of
                {_, Rest} -> count(link_fired), watch(Mons, Rest, Active, Cfg);
                error ->
                    violation("link to ~w fired again (~w)", [T, Reason]),
                    watch(Mons, Links, Active, Cfg)
            end;
        {outstanding, From} ->
            Late = erlang:monotonic_time(millisecond) - Life - Grace,
            Old = length([X || X <- maps:values(Mons) ++ maps:values(Links), X < Late]),
            From ! {outstanding, maps:size(Mons) + maps:size(Links), Old},
            watch(Mons, Links, Active, Cfg)
    end.

quiesce() ->
    soak_watcher ! quiesce,
    ok.

%% ---- supervised restarts

init([]) ->
    {ok, {#{strategy => one_for_one, intensity => 20, period => 10},
          [#{id => victim, start => {?MODULE, start_victim, []}}]}}.

start_victim() ->
    {ok, spawn_link(fun() -> register(soak_victim, self()), receive after infinity -> ok end end)}.

%% Kills the process registered as Name and waits (10 s at most) until another one is: {restarted, Ms}, not_restarted,
%% or not_running when none was registered.
kill_and_wait(Name) ->
    case whereis(Name) of
        undefined -> not_running;
        Old ->
            T0 = erlang:monotonic_time(millisecond),
            exit(Old, kill),
            await_new(Name, Old, T0)
    end.

await_new(Name, Old, T0) ->
    Now = erlang:monotonic_time(millisecond),
    case whereis(Name) of
        P when is_pid(P), P =/= Old -> {restarted, Now - T0};
        _ when Now - T0 > 10000 -> not_restarted;
        _ -> receive after 10 -> await_new(Name, Old, T0) end
    end.

%% ---- reports

stats() ->
    soak_watcher ! {outstanding, self()},
    {Out, Late} = receive {outstanding, O, L} -> {O, L} after 5000 -> {-1, -1} end,
    [{K, V} || {K, V} <- ets:tab2list(?T), is_atom(K)] ++ [{outstanding, Out}, {late, Late}].

violations() ->
    [Text || {{note, _}, Text} <- lists:sort(ets:tab2list(?T))].
