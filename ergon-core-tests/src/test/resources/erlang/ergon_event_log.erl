%% An event handler for GenEventInteropTest's Erlang manager: it keeps the events it saw, newest first.
-module(ergon_event_log).
-behaviour(gen_event).
-export([init/1, handle_event/2, handle_call/2, handle_info/2, terminate/2]).

init(Tag) -> {ok, {Tag, []}}.

handle_event(crash, _State) -> error(asked_to_crash);
handle_event(Event, {Tag, Seen}) -> {ok, {Tag, [Event | Seen]}}.

handle_call(seen, {Tag, Seen} = State) -> {ok, lists:reverse(Seen), State}.

handle_info(_Info, State) -> {ok, State}.

terminate(Args, {Tag, Seen}) -> {terminated, Tag, Args, length(Seen)}.
