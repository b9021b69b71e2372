%% A supervised worker for the comparison scenarios: reports {started, Id} from init and {stopped, Id} from
%% terminate to a collector, traps exits, and stops with any reason it is cast. Mirrors Ergon's TestChild.
-module(ergon_test_child).
-behaviour(gen_server).
-export([start_link/3, start_stubborn/2, init/1, handle_call/3, handle_cast/2, handle_info/2, terminate/2]).

start_link(Id, Col, Mode) ->
    gen_server:start_link(?MODULE, {Id, Col, Mode}, []).

%% A plain process that traps exits and ignores them all, so a shutdown cannot stop it.
start_stubborn(Id, Col) ->
    Pid = spawn_link(fun() -> process_flag(trap_exit, true), Col ! {started, Id}, stubborn() end),
    {ok, Pid}.

stubborn() ->
    receive _ -> stubborn() end.

init({_Id, _Col, {fail, Reason}}) -> {stop, Reason};
init({_Id, _Col, ignore}) -> ignore;
init({Id, Col, Mode}) ->
    process_flag(trap_exit, true),
    Col ! {started, Id},
    {ok, {Id, Col, Mode}}.

handle_call(_Request, _From, State) -> {reply, ok, State}.

handle_cast({exit, Reason}, State) -> {stop, Reason, State}.

handle_info(_Msg, State) -> {noreply, State}.

terminate(_Reason, {Id, Col, _Mode}) ->
    Col ! {stopped, Id}.
