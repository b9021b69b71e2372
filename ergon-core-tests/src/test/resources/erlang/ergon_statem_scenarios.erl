%% Runs each scenario of statem_scenarios.terms (in the working directory) against ergon_statem_lab and prints
%% "Name|Entry;Entry;...": the events the machine handled, in order, then the replies to the scenario's calls.
-module(ergon_statem_scenarios).
-export([main/0]).

main() ->
    {ok, Scenarios} = file:consult("statem_scenarios.terms"),
    [run(Name, Steps) || {Name, Steps} <- Scenarios],
    halt(0).

run(Name, [{start, Actions} | Steps]) -> run(Name, Actions, Steps);
run(Name, Steps) -> run(Name, [], Steps).

run(Name, InitActions, Steps) ->
    {ok, Pid} = gen_statem:start(ergon_statem_lab, InitActions, []),
    Replies = lists:append([step(Pid, S) || S <- Steps]),
    Trace = gen_statem:call(Pid, dump),
    gen_statem:stop(Pid),
    Entries = Trace ++ [lists:flatten(io_lib:format("reply ~w", [R])) || R <- Replies],
    io:format("~s|~s~n", [Name, string:join(Entries, ";")]).

step(Pid, {cast, Msg}) -> gen_statem:cast(Pid, Msg), [];
step(Pid, {info, Msg}) -> Pid ! Msg, [];
step(Pid, {call, Msg}) -> [gen_statem:call(Pid, Msg)];
step(_Pid, {sleep, Ms}) -> timer:sleep(Ms), [].
