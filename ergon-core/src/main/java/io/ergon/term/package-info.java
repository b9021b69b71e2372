/**
 * Erlang data as Java values: {@link io.ergon.term.Atom}, {@link io.ergon.term.Pid}, {@link io.ergon.term.Ref},
 * {@link io.ergon.term.Port}, {@link io.ergon.term.Tuple}, improper lists, binaries and bit strings, funs; Erlang's
 * term order ({@link io.ergon.term.TermOrder}); Erlang syntax out ({@link io.ergon.term.TermFormat}) and in
 * ({@link io.ergon.term.TermParser}); and {@link io.ergon.term.ErlangException}, the supertype of every exception
 * that carries an Erlang reason. The lowest layer: it uses no other package of Ergon. Stable.
 */
package io.ergon.term;
