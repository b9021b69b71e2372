%% The supervisor scenarios that Ergon's SupervisorErlangComparisonTest replays in Java: each prints one line
%% "name|result" that the Java side must reproduce exactly. Run: erl -noshell -pa DIR -s ergon_sup_scenarios main
-module(ergon_sup_scenarios).
-behaviour(supervisor).
-export([main/0, init/1]).
-export([one_for_one/0, one_for_all/0, rest_for_one/0, one_for_all_terminated/0, transient/0, intensity/0,
         which_order/0, dynamic_errors/0, start_failure/0, ignore/0, auto_any/0, auto_all/0, auto_terminate_child/0,
         bad_combination/0, shutdown_kill/0, simple/0, nested/0]).

init({Flags, Specs}) -> {ok, {Flags, Specs}}.

main() ->
    process_flag(trap_exit, true),
    Scenarios = [one_for_one, one_for_all, rest_for_one, one_for_all_terminated, transient, intensity,
                 which_order, dynamic_errors, start_failure, ignore, auto_any, auto_all, auto_terminate_child,
                 bad_combination, shutdown_kill, simple, nested],
    lists:foreach(fun(S) ->
                          Result = try ?MODULE:S() catch C:E:St -> io_lib:format("CRASH ~p:~p ~p", [C, E, St]) end,
                          io:format("~s|~s~n", [S, Result]),
                          flush()
                  end, Scenarios),
    init:stop().

%% ---------------------------------------------------------------- helpers

flags(Strategy) -> #{strategy => Strategy, intensity => 10, period => 60}.

child(Id) -> #{id => Id, start => {ergon_test_child, start_link, [Id, self(), normal]}}.
child(Id, Extra) -> maps:merge(child(Id), Extra).

start(Flags, Specs) ->
    {ok, Sup} = supervisor:start_link(?MODULE, {Flags, Specs}),
    Sup.

%% The lifecycle events received so far, once 60 ms pass without one.
drain() -> drain([]).
drain(Acc) ->
    receive
        {started, Id} -> drain(["start " ++ atom_to_list(Id) | Acc]);
        {stopped, Id} -> drain(["stop " ++ atom_to_list(Id) | Acc])
    after 60 -> lists:join(",", lists:reverse(Acc))
    end.

flush() ->
    receive _ -> flush() after 0 -> ok end.

pid_of(Sup, Id) ->
    {Id, Pid, _, _} = lists:keyfind(Id, 1, supervisor:which_children(Sup)),
    Pid.

%% Makes a child exit with Reason and waits until the supervisor has handled it.
exit_child(Sup, Id, Reason) ->
    Pid = pid_of(Sup, Id),
    Ref = monitor(process, Pid),
    gen_server:cast(Pid, {exit, Reason}),
    receive {'DOWN', Ref, process, Pid, _} -> ok end,
    catch supervisor:which_children(Sup),
    ok.

stop_sup(Sup) ->
    unlink(Sup),
    Ref = monitor(process, Sup),
    exit(Sup, shutdown),
    receive {'DOWN', Ref, process, Sup, _} -> ok end,
    drain(),
    ok.

reply(ok) -> "ok";
reply({ok, undefined}) -> "ok_undefined";
reply({ok, P}) when is_pid(P) -> "ok";
reply({error, {already_started, P}}) when is_pid(P) -> "already_started";
reply({error, E}) when is_atom(E) -> atom_to_list(E);
reply(Other) -> io_lib:format("~w", [Other]).

ids(Sup) ->
    lists:join(",", [io_lib:format("~w:~s", [Id, state(P)]) || {Id, P, _, _} <- supervisor:which_children(Sup)]).

state(P) when is_pid(P) -> "running";
state(restarting) -> "restarting";
state(undefined) -> "undefined".

counts(Sup) ->
    [{specs, S}, {active, A}, {supervisors, Su}, {workers, W}] = supervisor:count_children(Sup),
    io_lib:format("~w,~w,~w,~w", [S, A, Su, W]).

%% Monitors the supervisor, runs F, and reports whether the supervisor then lives and, if not, its exit reason.
fate(Sup) ->
    receive {'EXIT', Sup, Reason} -> io_lib:format("exit=~w", [Reason])
    after 200 -> case is_process_alive(Sup) of true -> "alive"; false -> "gone" end
    end.

%% ---------------------------------------------------------------- scenarios

strategy(Strategy) ->
    Sup = start(flags(Strategy), [child(a), child(b), child(c), child(d)]),
    Start = drain(),
    exit_child(Sup, b, boom),
    After = drain(),
    stop_sup(Sup),
    [Start, " / ", After].

one_for_one() -> strategy(one_for_one).
one_for_all() -> strategy(one_for_all).
rest_for_one() -> strategy(rest_for_one).

one_for_all_terminated() ->
    Sup = start(flags(one_for_all), [child(a), child(b), child(c), child(d)]),
    drain(),
    ok = supervisor:terminate_child(Sup, c),
    T = drain(),
    exit_child(Sup, a, boom),
    After = drain(),
    Ids = ids(Sup),
    stop_sup(Sup),
    [T, " / ", After, " / ", Ids].

transient() ->
    lists:join(" ", [begin
                         Sup = start(flags(one_for_one), [child(w, #{restart => transient})]),
                         drain(),
                         exit_child(Sup, w, R),
                         E = drain(),
                         Ids = ids(Sup),
                         stop_sup(Sup),
                         io_lib:format("~w:[~s]:~s", [R, E, Ids])
                     end || R <- [normal, shutdown, {shutdown, done}, boom]]).

intensity() ->
    Sup = start(#{strategy => one_for_one, intensity => 2, period => 60}, [child(a), child(w)]),
    drain(),
    Crashes = crash_until_dead(Sup, 0),
    Events = drain(),
    Fate = fate(Sup),
    io_lib:format("crashes=~w events=~s ~s", [Crashes, Events, Fate]).

crash_until_dead(Sup, N) when N < 10 ->
    case is_process_alive(Sup) of
        false -> N;
        true ->
            exit_child(Sup, w, boom),
            timer:sleep(20),
            crash_until_dead(Sup, N + 1)
    end.

which_order() ->
    Sup = start(flags(one_for_one), [child(a), child(b)]),
    {ok, _} = supervisor:start_child(Sup, child(c)),
    {ok, _} = supervisor:start_child(Sup, #{id => sub, type => supervisor,
                                            start => {supervisor, start_link, [?MODULE, {flags(one_for_one), []}]}}),
    drain(),
    R = [ids(Sup), " ", counts(Sup)],
    stop_sup(Sup),
    R.

dynamic_errors() ->
    Sup = start(flags(one_for_one), [child(a)]),
    drain(),
    Steps = [fun() -> supervisor:start_child(Sup, child(a)) end,
             fun() -> supervisor:restart_child(Sup, a) end,
             fun() -> supervisor:delete_child(Sup, a) end,
             fun() -> supervisor:terminate_child(Sup, nope) end,
             fun() -> supervisor:restart_child(Sup, nope) end,
             fun() -> supervisor:delete_child(Sup, nope) end,
             fun() -> supervisor:get_childspec(Sup, nope) end,
             fun() -> supervisor:terminate_child(Sup, a) end,
             fun() -> supervisor:start_child(Sup, child(a)) end,
             fun() -> supervisor:restart_child(Sup, a) end,
             fun() -> supervisor:terminate_child(Sup, a) end,
             fun() -> supervisor:delete_child(Sup, a) end,
             fun() -> supervisor:start_child(Sup, child(t, #{restart => temporary})) end,
             fun() -> supervisor:terminate_child(Sup, t) end,
             fun() -> supervisor:restart_child(Sup, t) end],
    Replies = [reply(F()) || F <- Steps],
    Ids = ids(Sup),
    stop_sup(Sup),
    [lists:join(" ", Replies), " / [", Ids, "]"].

start_failure() ->
    R = supervisor:start_link(?MODULE, {flags(one_for_one),
                                        [child(a), child(b, #{start => {ergon_test_child, start_link,
                                                                         [b, self(), {fail, no_db}]}}), child(c)]}),
    {error, Reason} = R,
    flush_exits(),
    io_lib:format("~w / ~s", [Reason, drain()]).

flush_exits() -> receive {'EXIT', _, _} -> flush_exits() after 50 -> ok end.

ignore() ->
    Sup = start(flags(one_for_one),
                [child(kept, #{start => {ergon_test_child, start_link, [kept, self(), ignore]}}),
                 child(dropped, #{restart => temporary,
                                  start => {ergon_test_child, start_link, [dropped, self(), ignore]}}),
                 child(a)]),
    drain(),
    R = ids(Sup),
    stop_sup(Sup),
    R.

auto_any() ->
    Sup = start(#{strategy => one_for_one, auto_shutdown => any_significant},
                [child(plain), child(job, #{restart => transient, significant => true})]),
    drain(),
    exit_child(Sup, job, normal),
    E = drain(),
    [E, " ", fate(Sup)].

auto_all() ->
    Sup = start(#{strategy => one_for_one, auto_shutdown => all_significant},
                [child(j1, #{restart => temporary, significant => true}),
                 child(j2, #{restart => temporary, significant => true}), child(plain)]),
    drain(),
    exit_child(Sup, j1, boom),
    E1 = drain(),
    Mid = [fate(Sup), " ", ids(Sup)],
    exit_child(Sup, j2, normal),
    E2 = drain(),
    [E1, " ", Mid, " / ", E2, " ", fate(Sup)].

auto_terminate_child() ->
    Sup = start(#{strategy => one_for_one, auto_shutdown => any_significant},
                [child(job, #{restart => transient, significant => true})]),
    drain(),
    ok = supervisor:terminate_child(Sup, job),
    E = drain(),
    R = [E, " ", fate(Sup)],
    stop_sup(Sup),
    R.

bad_combination() ->
    Never = start(flags(one_for_one), []),
    R1 = supervisor:start_child(Never, child(s, #{restart => transient, significant => true})),
    stop_sup(Never),
    Any = start(#{strategy => one_for_one, auto_shutdown => any_significant}, []),
    R2 = supervisor:start_child(Any, child(s, #{significant => true})),
    stop_sup(Any),
    io_lib:format("~w ~w", [R1, R2]).

shutdown_kill() ->
    Sup = start(flags(one_for_one),
                [child(s1, #{start => {ergon_test_child, start_stubborn, [s1, self()]}, shutdown => 200}),
                 child(s2, #{start => {ergon_test_child, start_stubborn, [s2, self()]}, shutdown => brutal_kill}),
                 child(p, #{shutdown => 5000})]),
    drain(),
    Rs = [begin
              Pid = pid_of(Sup, Id),
              Ref = monitor(process, Pid),
              ok = supervisor:terminate_child(Sup, Id),
              receive {'DOWN', Ref, process, Pid, Why} -> io_lib:format("~w:~w", [Id, Why]) end
          end || Id <- [s1, s2, p]],
    drain(),
    stop_sup(Sup),
    lists:join(" ", Rs).

simple() ->
    Sup = start(#{strategy => simple_one_for_one, intensity => 10, period => 60},
                [#{id => conn, start => {ergon_test_child, start_link, []}}]),
    {ok, X} = supervisor:start_child(Sup, [x, self(), normal]),
    {ok, _} = supervisor:start_child(Sup, [y, self(), normal]),
    S = drain(),
    Ref = monitor(process, X),
    gen_server:cast(X, {exit, boom}),
    receive {'DOWN', Ref, process, X, _} -> ok end,
    _ = supervisor:which_children(Sup),
    E = drain(),
    Errors = [reply(supervisor:terminate_child(Sup, conn)), reply(supervisor:restart_child(Sup, conn)),
              reply(supervisor:delete_child(Sup, conn))],
    R = [S, " / ", E, " / ", counts(Sup), " ", lists:join(" ", Errors), " ", ids(Sup)],
    stop_sup(Sup),
    R.

nested() ->
    Inner = #{id => inner, type => supervisor,
              start => {supervisor, start_link, [?MODULE, {#{strategy => one_for_one, intensity => 1, period => 60},
                                                            [child(x), child(y)]}]}},
    Root = start(#{strategy => one_for_one, intensity => 3, period => 60}, [child(top), Inner]),
    S = drain(),
    InnerPid = pid_of(Root, inner),
    exit_child(InnerPid, x, boom),
    E1 = drain(),
    exit_child(InnerPid, x, boom),
    timer:sleep(50),
    _ = supervisor:which_children(Root),
    E2 = drain(),
    R = [S, " / ", E1, " / ", E2, " / ", ids(Root)],
    stop_sup(Root),
    R.
