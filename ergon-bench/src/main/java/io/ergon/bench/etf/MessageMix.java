package io.ergon.bench.etf;

import io.ergon.etf.Etf;
import io.ergon.term.Atom;
import io.ergon.term.Binary;
import io.ergon.term.ImproperList;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import io.ergon.term.Terms;
import io.ergon.term.Tuple;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The messages the ETF benchmarks encode and decode: what nodes send each other in practice (control tuples,
 * gen_server calls, records with binaries and maps, logs, a 1 KiB blob, a key/value list, strings, a big integer).
 * One benchmark operation is one pass over all of them.
 */
public final class MessageMix {
    private MessageMix() {
    }

    public static List<Object> terms() {
        Atom node = Atom.of("ergon@localhost");
        Pid pid = new Pid(node, 4711, 0, 1_700_000_001);
        Ref ref = new Ref(node, 1_700_000_001, 0x2f3a, 0x1b2c3d4e, 0x5f6a7b8c);
        List<Object> terms = new ArrayList<>();
        terms.add(Tuple.of(Atom.of("$gen_call"), Tuple.of(pid, new ImproperList(List.of(Atom.of("alias")), ref)),
                Tuple.of(Atom.of("is_auth"), Atom.of("java@localhost"))));
        terms.add(Tuple.of(2L, Atom.of(""), pid));
        List<Object> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(Tuple.of(Atom.of("item"), Binary.of("sku-000" + i), (long) (i + 1), 9.99 + i));
        }
        Map<Object, Object> meta = new LinkedHashMap<>();
        meta.put(Atom.of("status"), Atom.of("pending"));
        meta.put(Atom.of("tags"), Terms.list(Binary.of("priority"), Binary.of("gift")));
        meta.put(Atom.of("ts"), 1_700_000_000_000L);
        terms.add(Tuple.of(Atom.of("order"), 1_234_567L, Binary.of("customer-42"), Terms.list(items.toArray()), meta));
        terms.add(Tuple.of(Atom.of("log"), Atom.of("info"), Binary.of("user 42 logged in from 10.0.0.1"),
                1_700_000_000_123L));
        byte[] blob = new byte[1024];
        new Random(1).nextBytes(blob);
        terms.add(Tuple.of(Atom.of("data"), Binary.of(blob)));
        List<Object> pairs = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            pairs.add(Tuple.of(Atom.of("key_" + i), (long) i * 1000));
        }
        terms.add(Terms.list(pairs.toArray()));
        terms.add(Tuple.of(Atom.of("text"), Terms.charList("hello world, this is a string")));
        Map<Object, Object> metrics = new LinkedHashMap<>();
        metrics.put(Atom.of("cpu"), 0.42);
        metrics.put(Atom.of("disk"), Terms.list(1.5, 2.5, 3.5));
        metrics.put(Atom.of("mem"), 123_456_789L);
        terms.add(Tuple.of(Atom.of("metrics"), metrics));
        terms.add(Tuple.of(Atom.of("big"), BigInteger.TWO.pow(100)));
        terms.add(Tuple.of(Atom.OK, Terms.list(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L)));
        return terms;
    }

    /** Each message's encoding (with the version byte), as OTP writes it. */
    public static List<byte[]> encodings() {
        return terms().stream().map(Etf::encode).toList();
    }

    /** The total size of one pass's encodings. */
    public static int totalBytes() {
        return encodings().stream().mapToInt(b -> b.length).sum();
    }
}
