#!/usr/bin/env escript
%% Reads lines from standard input and checks Ergon's encodings against this Erlang node.
%%   E <tab> Hex <tab> TextHex   binary_to_term(Hex) =:= the term the Latin-1 text evaluates to
%%   T <tab> Hex <tab> TextHex   as E, and ~w of the term is the text
%%   B <tab> Hex <tab> TextHex   as T, and also term_to_binary(Term, [{minor_version, 2}]) is exactly Hex
%%   R <tab> Hex              term_to_binary(binary_to_term(Hex), [{minor_version, 2}]) is exactly Hex
%%   X <tab> TextHex          evaluates the Latin-1 text and answers "= " ++ its ~w
%%   G <tab> N <tab> Seed     prints N random maps of 33..400 keys as "M <tab> Hex <tab> ~w" lines
%% Each line gets one answer line: "ok", "fail: <reason>" or the M lines; "done" at the end.
main(_) ->
    ok = io:setopts(standard_io, [binary, {encoding, latin1}]),
    loop().

loop() ->
    case io:get_line(standard_io, "") of
        eof -> io:put_chars("done\n");
        {error, E} -> io:format("fail: read ~p~n", [E]);
        Line ->
            Fields = binary:split(string:trim(Line, trailing, "\r\n"), <<"\t">>, [global]),
            Answer = try check(Fields) catch C:R -> io_lib:format("fail: ~p:~P", [C, R, 12]) end,
            io:put_chars([Answer, "\n"]),
            loop()
    end.

check([<<"G">>, N, Seed]) ->
    rand:seed(exsss, {binary_to_integer(Seed), 2, 3}),
    [begin
         Size = 33 + rand:uniform(368) - 1,
         M = maps:from_list([{key(J), J} || J <- lists:seq(1, Size)]),
         io_lib:format("M\t~s\t~w~n", [binary:encode_hex(term_to_binary(M, [{minor_version, 2}])), M])
     end || _ <- lists:seq(1, binary_to_integer(N))] ++ "ok";
check([<<"X">>, TextHex]) ->
    "= " ++ io_lib:format("~w", [eval(binary_to_list(binary:decode_hex(TextHex)))]);
check([<<"R">>, Hex]) ->
    Bin = binary:decode_hex(Hex),
    case term_to_binary(binary_to_term(Bin), [{minor_version, 2}]) of
        Bin -> "ok";
        Other -> io_lib:format("fail: re-encoded as ~s", [binary:encode_hex(Other)])
    end;
check([Kind, Hex, TextHex]) ->
    Bin = binary:decode_hex(Hex),
    Text = binary:decode_hex(TextHex),
    Term = eval(binary_to_list(Text)),
    Decoded = binary_to_term(Bin),
    Written = lists:flatten(io_lib:format("~w", [Decoded])),
    Expected = binary_to_list(Text),
    if
        Decoded =/= Term -> io_lib:format("fail: binary_to_term gives ~w", [Decoded]);
        Kind =:= <<"E">> -> "ok";
        Written =/= Expected -> "fail: ~w gives " ++ Written;
        Kind =:= <<"B">> ->
            case term_to_binary(Term, [{minor_version, 2}]) of
                Bin -> "ok";
                Other -> io_lib:format("fail: term_to_binary gives ~s", [binary:encode_hex(Other)])
            end;
        true -> "ok"
    end.

eval(Text) ->
    {ok, Tokens, _} = erl_scan:string(Text ++ "."),
    {ok, [Expr]} = erl_parse:parse_exprs(Tokens),
    {value, Term, _} = erl_eval:expr(Expr, []),
    Term.

key(J) ->
    case J rem 6 of
        0 -> J;
        1 -> {J, a};
        2 -> list_to_atom("k" ++ integer_to_list(J));
        3 -> <<J:32>>;
        4 -> float(J);
        5 -> [J, "s"]
    end.
