%% Test helpers for Ergon's fault-tolerance interop tests: a process that does what it is told and reports
%% everything it receives.
-module(ergon_ft).
-export([start/3, worker/1, echo_server/0, crash_in/1]).

%% Spawns a process that traps exits if Trap, links to LinkTo (unless undefined), sends {ready, self()} to Report,
%% then obeys {cmd, ...} messages and forwards every other message to Report as {got, self(), Msg}.
start(Trap, LinkTo, Report) ->
    spawn(fun() ->
                  process_flag(trap_exit, Trap),
                  case LinkTo of undefined -> ok; _ -> link(LinkTo) end,
                  Report ! {ready, self()},
                  loop(Report)
          end).

%% The same process for a supervisor on another node to spawn as its child: this process is the child.
worker(Report) ->
    Report ! {ready, self()},
    loop(Report).

loop(Report) ->
    receive
        {cmd, link, P} -> Report ! {done, link, (catch link(P))}, loop(Report);
        {cmd, unlink, P} -> unlink(P), Report ! {done, unlink, true}, loop(Report);
        {cmd, monitor, T} -> Report ! {done, monitor, erlang:monitor(process, T)}, loop(Report);
        {cmd, demonitor, Ref} -> demonitor(Ref, [flush]), Report ! {done, demonitor, true}, loop(Report);
        {cmd, exit, P, Reason} -> exit(P, Reason), Report ! {done, exit, true}, loop(Report);
        {cmd, register, Name} -> register(Name, self()), Report ! {done, register, true}, loop(Report);
        {cmd, stop, Reason} -> exit(Reason);
        {cmd, crash} -> erlang:error(crashed_on_purpose);
        Msg -> Report ! {got, self(), Msg}, loop(Report)
    end.

%% A registered gen_server-less echo loop, for calls.
echo_server() ->
    spawn(fun Loop() -> receive {'$gen_call', From, Req} -> gen:reply(From, Req), Loop() end end).

%% A worker that crashes after Ms milliseconds, for the supervisor test.
crash_in(Ms) ->
    spawn(fun() -> receive after Ms -> erlang:error(boom) end end).
