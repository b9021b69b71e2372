%% The machine of GenStatemErlangComparisonTest, in Erlang; its twin in Java is io.ergon.gen.StatemLab.
%% It records every event it handles as "State/Type/Content", and acts on {do_in, State, Next, Actions}
%% only while in State (a postponed one that comes back in another state is then only recorded).
-module(ergon_statem_lab).
-behaviour(gen_statem).
-export([init/1, callback_mode/0, handle_event/4]).

init(Actions) -> {ok, a, [], Actions}.

callback_mode() -> [handle_event_function, state_enter].

handle_event(enter, Old, timed, T) ->
    {keep_state, [entry(timed, enter, Old) | T], [{state_timeout, 30, ring}]};
handle_event(enter, Old, S, T) ->
    {keep_state, [entry(S, enter, Old) | T]};
handle_event({call, From}, dump, _S, T) ->
    {keep_state_and_data, [{reply, From, lists:reverse(T)}]};
handle_event({call, From} = Type, Content, S, T) ->
    {keep_state, [entry(S, Type, Content) | T], [{reply, From, {ok, S}}]};
handle_event(Type, {do_in, S, Next, Actions} = Content, S, T) ->
    T1 = [entry(S, Type, Content) | T],
    case Next of
        keep -> {keep_state, T1, Actions};
        repeat -> {repeat_state, T1, Actions};
        _ -> {next_state, Next, T1, Actions}
    end;
handle_event(Type, Content, S, T) ->
    {keep_state, [entry(S, Type, Content) | T]}.

entry(S, Type, Content) ->
    lists:flatten(io_lib:format("~w/~s/~w", [S, type(Type), Content])).

type({call, _}) -> "call";
type({timeout, Name}) -> io_lib:format("timeout:~w", [Name]);
type(Type) -> atom_to_list(Type).
