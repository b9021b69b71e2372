%% The application scenarios that Ergon's ApplicationErlangComparisonTest compares with. main/0 prints lines
%% "name|result"; the fatal scenarios (permanent_exit, transient_abnormal, permanent_start_failure) each run alone,
%% print "before|...", and must take the node down: if it survives 10 s they print "survived|yes".
-module(ergon_app_scenarios).
-export([main/0, permanent_exit/0, transient_abnormal/0, permanent_start_failure/0]).
-export([dependencies_first/0, missing_dependency/0, which_order/0, temporary_exit/0, transient_normal/0,
         temporary_start_failure/0, stop_by_hand/0]).

main() ->
    process_flag(trap_exit, true),
    lists:foreach(fun(S) ->
                          Result = try ?MODULE:S() catch C:E:St -> io_lib:format("CRASH ~p:~p ~p", [C, E, St]) end,
                          io:format("~s|~s~n", [S, Result])
                  end,
                  [dependencies_first, missing_dependency, which_order, temporary_exit, transient_normal,
                   temporary_start_failure, stop_by_hand]),
    init:stop().

%% ---------------------------------------------------------------- helpers

load(Name, Deps, Mod) ->
    ok = application:load({application, Name, [{description, atom_to_list(Name)}, {vsn, "1.0"},
                                               {modules, []}, {registered, []},
                                               {applications, [kernel, stdlib | Deps]},
                                               {mod, {ergon_test_app, Mod}}]}).

sup(Name) -> {sup, Name, self()}.

ours() ->
    [atom_to_list(A) || {A, _, _} <- application:which_applications(), not lists:member(A, [kernel, stdlib])].

running() -> lists:join(",", ours()).

cleanup() ->
    [application:stop(list_to_atom(A)) || A <- ours()],
    [application:unload(A) || {A, _, _} <- application:loaded_applications(), not lists:member(A, [kernel, stdlib])],
    drain(),
    ok.

drain() -> drain([]).
drain(Acc) ->
    receive
        {started, Id} -> drain(["start " ++ atom_to_list(Id) | Acc]);
        {stopped, Id} -> drain(["stop " ++ atom_to_list(Id) | Acc])
    after 60 -> lists:join(",", lists:reverse(Acc))
    end.

%% ---------------------------------------------------------------- scenarios

dependencies_first() ->
    load(db, [], sup(db)), load(cache, [db], sup(cache)), load(shop, [db, cache], sup(shop)),
    {ok, Started} = application:ensure_all_started(shop),
    E = drain(),
    R = io_lib:format("~w / ~s / ~s", [Started, E, running()]),
    cleanup(),
    R.

missing_dependency() ->
    load(db, [], sup(db)), load(shop, [db, payments], sup(shop)),
    {error, _} = application:ensure_all_started(shop),
    drain(),
    R = "running=[" ++ running() ++ "]",
    cleanup(),
    R.

which_order() ->
    load(a, [], sup(a)), load(b, [], sup(b)), load(c, [], sup(c)),
    ok = application:start(a), ok = application:start(b), ok = application:start(c),
    drain(),
    R = running(),
    cleanup(),
    R.

temporary_exit() ->
    load(other, [], sup(other)), load(temp, [], sup(temp)),
    ok = application:start(other, permanent), ok = application:start(temp, temporary),
    drain(),
    {Top, _} = application_master:get_child(application_controller:get_master(temp)),
    [{_, W, _, _} | _] = supervisor:which_children(Top),
    gen_server:cast(W, {exit, boom}),
    timer:sleep(200),
    E = drain(),
    R = E ++ " / " ++ running(),
    cleanup(),
    R.

transient_normal() ->
    load(job, [], {worker, job, self()}),
    ok = application:start(job, transient),
    drain(),
    {Root, _} = application_master:get_child(application_controller:get_master(job)),
    gen_server:cast(Root, {exit, normal}),
    timer:sleep(200),
    E = drain(),
    R = E ++ " / running=[" ++ running() ++ "]",
    cleanup(),
    R.

temporary_start_failure() ->
    load(bad, [], {fail, no_license}),
    {error, _} = application:start(bad, temporary),
    timer:sleep(200),
    R = "running=[" ++ running() ++ "]",
    cleanup(),
    R.

stop_by_hand() ->
    load(perm, [], sup(perm)),
    ok = application:start(perm, permanent),
    ok = application:stop(perm),
    timer:sleep(200),
    E = drain(),
    R = E ++ " / running=[" ++ running() ++ "]",
    cleanup(),
    R.

%% ---------------------------------------------------------------- fatal: each takes the node down

%% 10 s, not 2: on a loaded machine the node took longer than 2 s to go down, and this process's io:format then
%% met a stopped io server and crashed the boot ({terminated, ...}) before the kernel's "Kernel pid terminated".
%% A node that goes down ends this wait at once.
survive() ->
    timer:sleep(10000),
    catch io:format("survived|yes~n"),
    init:stop().

permanent_exit() ->
    load(perm, [], {worker, perm, self()}),
    ok = application:start(perm, permanent),
    {Root, _} = application_master:get_child(application_controller:get_master(perm)),
    io:format("before|running=~s~n", [running()]),
    gen_server:cast(Root, {exit, normal}),
    survive().

transient_abnormal() ->
    load(trans, [], sup(trans)),
    ok = application:start(trans, transient),
    {Top, _} = application_master:get_child(application_controller:get_master(trans)),
    [{_, W, _, _} | _] = supervisor:which_children(Top),
    io:format("before|running=~s~n", [running()]),
    gen_server:cast(W, {exit, boom}),
    survive().

permanent_start_failure() ->
    load(bad, [], {fail, no_license}),
    io:format("before|~w~n", [application:start(bad, permanent)]),
    survive().
