%% Helpers for ErlangGlobalTest: parked processes that remember what they received, a shared counter that notices
%% two processes inside its critical section at once, and contenders that take a global lock around it.
-module(ergon_global).
-export([park/0, park/1, got/1, register_parked/1, register_parked/2, start_counter/0, counter_stats/1,
         contend/4, critical/1, hold_lock/3]).

%% A process that keeps every message it gets, until told to stop.
park() -> spawn(fun() -> park_loop([]) end).

%% Parked and registered locally under Name too, so that a test can find it later.
park(Local) ->
    P = park(),
    true = register(Local, P),
    P.

park_loop(Got) ->
    receive
        {ergon_got, From} -> From ! {ergon_got, self(), lists:reverse(Got)}, park_loop(Got);
        ergon_stop -> ok;
        M -> park_loop([M | Got])
    end.

%% What a parked process got so far (undefined if it is dead).
got(P) ->
    Ref = monitor(process, P),
    P ! {ergon_got, self()},
    receive
        {ergon_got, P, Got} -> demonitor(Ref, [flush]), Got;
        {'DOWN', Ref, _, _, _} -> undefined
    after 5000 -> timeout
    end.

register_parked(Name) -> register_parked(Name, fun global:random_exit_name/3).

register_parked(Name, Method) ->
    P = park(),
    {global:register_name(Name, P, Method), P}.

%% The shared counter, registered as ergon_counter: enter returns the value and counts who is inside, set stores,
%% leave leaves; stats returns {Value, MostInsideAtOnce, Entries}.
start_counter() ->
    P = spawn(fun() -> counter(0, 0, 0, 0) end),
    true = register(ergon_counter, P),
    P.

counter(Value, Inside, Max, Entries) ->
    receive
        {enter, From} ->
            From ! {self(), Value},
            counter(Value, Inside + 1, max(Max, Inside + 1), Entries + 1);
        {set, From, V} ->
            From ! {self(), ok},
            counter(V, Inside, Max, Entries);
        {leave, From} ->
            From ! {self(), ok},
            counter(Value, Inside - 1, Max, Entries);
        {stats, From} ->
            From ! {self(), {Value, Max, Entries}},
            counter(Value, Inside, Max, Entries)
    end.

counter_stats(C) ->
    C ! {stats, self()},
    receive {C, S} -> S after 5000 -> timeout end.

%% A process that takes {ergon_counter, self()} with global:trans Rounds times around critical/1, on Nodes
%% (default: all), and sends {contender_done, self(), Aborted} to Parent.
contend(Counter, Rounds, Nodes, Parent) ->
    spawn(fun() ->
                  Aborted = contend_loop(Counter, Rounds, Nodes, 0),
                  Parent ! {contender_done, self(), Aborted}
          end).

contend_loop(_, 0, _, Aborted) -> Aborted;
contend_loop(Counter, N, Nodes, Aborted) ->
    Id = {ergon_counter, self()},
    F = fun() -> critical(Counter) end,
    R = case Nodes of
            default -> global:trans(Id, F);
            _ -> global:trans(Id, F, Nodes)
        end,
    contend_loop(Counter, N - 1, Nodes, Aborted + case R of aborted -> 1; _ -> 0 end).

critical(C) ->
    C ! {enter, self()},
    V = receive {C, X} -> X end,
    C ! {set, self(), V + 1},
    receive {C, ok} -> ok end,
    C ! {leave, self()},
    receive {C, ok} -> ok end.

%% A process, registered locally as Local, that takes {Resource, itself} on Nodes and holds it until it ends;
%% returns whether it got the lock.
hold_lock(Local, Resource, Nodes) ->
    Me = self(),
    P = spawn(fun() ->
                      Me ! {held, self(), global:set_lock({Resource, self()}, Nodes, 0)},
                      receive ergon_stop -> ok end
              end),
    true = register(Local, P),
    receive {held, P, H} -> H after 5000 -> timeout end.
