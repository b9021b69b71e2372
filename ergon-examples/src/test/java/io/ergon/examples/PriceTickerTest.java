package io.ergon.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.ergon.examples.PriceTicker.Outcome;
import io.ergon.examples.PriceTicker.Price;
import io.ergon.net.EpmdServer;
import io.ergon.node.Name;
import io.ergon.node.Reasons;
import io.ergon.testkit.LogCapture;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PriceTickerTest {
    @Test
    void followersOnBothNodesSeeTheTickersPricesInOrderAndTheAuditorSeesItsEnd() throws Exception {
        try (EpmdServer epmd = EpmdServer.start(InetAddress.getLoopbackAddress(), 0);
             LogCapture log = LogCapture.of("io.ergon.examples")) {
            Outcome o = PriceTicker.run(epmd.port());

            assertThat(o.dashboard().prices()).hasSize(10).allSatisfy(p -> assertThat(p.symbol()).isEqualTo("ACME"));
            assertThat(o.trader().prices()).as("typed on the other node: Price is registered on both")
                    .hasSize(5).hasOnlyElementsOfType(Price.class);
            for (List<Price> seen : List.of(o.dashboard().prices(), o.trader().prices(), o.auditor())) {
                long first = seen.getFirst().seq();
                assertThat(seen).extracting(Price::seq).as("consecutive: the ticker's order, no gap")
                        .isEqualTo(LongStream.range(first, first + seen.size()).boxed().toList());
            }
            assertThat(o.auditor().getFirst().seq()).as("the buffer's price, then the next ones")
                    .isEqualTo(o.latestOnJoin().seq() + 1);
            assertThat(o.end().event()).isEqualTo(Name.of(PriceTicker.EVENT, "ticker@localhost"));
            assertThat(o.end().reason()).isEqualTo(Reasons.SHUTDOWN);
            assertThat(log.messages()).containsSubsequence("ticker: someone listens, ticking",
                    "ticker: nobody listens, pausing after " + o.latestOnJoin().seq() + " prices",
                    "ticker: someone listens, ticking");
        }
    }
}
