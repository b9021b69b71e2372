%% The application callback of the comparison scenarios: the root is a supervisor (intensity 0) of two reporting
%% workers Name.1 and Name.2, a single reporting worker, or a start that fails.
-module(ergon_test_app).
-behaviour(application).
-export([start/2, stop/1]).

start(_Type, {sup, Name, Col}) ->
    Child = fun(N) ->
                    Id = list_to_atom(atom_to_list(Name) ++ "." ++ integer_to_list(N)),
                    #{id => Id, start => {ergon_test_child, start_link, [Id, Col, normal]}}
            end,
    supervisor:start_link(ergon_sup_scenarios, {#{strategy => one_for_one, intensity => 0, period => 5},
                                                [Child(1), Child(2)]});
start(_Type, {worker, Name, Col}) ->
    ergon_test_child:start_link(Name, Col, normal);
start(_Type, {fail, Reason}) ->
    {error, Reason}.

stop(_State) -> ok.
