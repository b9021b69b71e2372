%% OTP's code lock, as GenStatemInteropTest's Erlang side: Ergon calls it, as Erlang calls the Java door.
-module(ergon_door).
-behaviour(gen_statem).
-export([start/1, init/1, callback_mode/0, locked/3, open/3]).

start(Code) -> gen_statem:start({local, erl_door}, ?MODULE, Code, []).

init(Code) -> {ok, locked, Code}.

callback_mode() -> state_functions.

locked({call, From}, {button, Code}, Code) ->
    {next_state, open, Code, [{reply, From, open}, {state_timeout, 150, lock}]};
locked({call, From}, _, _) -> {keep_state_and_data, [{reply, From, locked}]};
locked(_, _, _) -> keep_state_and_data.

open(state_timeout, lock, Code) -> {next_state, locked, Code};
open({call, _From}, {button, _}, _) -> {keep_state_and_data, [postpone]};
open({call, From}, _, _) -> {keep_state_and_data, [{reply, From, open}]};
open(_, _, _) -> keep_state_and_data.
