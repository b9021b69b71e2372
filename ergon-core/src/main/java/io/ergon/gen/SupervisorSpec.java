package io.ergon.gen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A supervisor's flags and its children, in start order (OTP's {@code {SupFlags, ChildSpecs}}). Immutable; build
 * one with {@link Supervisor#spec(Strategy)}:
 *
 * <pre>{@code
 * Supervisor.spec(Strategy.ONE_FOR_ONE).intensity(5, Duration.ofSeconds(5))
 *     .child(ChildSpec.worker("faulty", Faulty::new).restart(Restart.PERMANENT))
 * }</pre>
 *
 * <p>Defaults are OTP's: at most 1 restart in 5 seconds, {@link AutoShutdown#NEVER}. The rules that involve several
 * settings (unique ids, significant children, one template for {@link Strategy#SIMPLE_ONE_FOR_ONE}) are checked
 * when the supervisor starts, as OTP does: a bad spec makes the start fail with {@code {start_spec, Why}}.
 *
 * @param strategy how children are restarted
 * @param intensity the most restarts allowed within {@code period}; one more and the supervisor gives up
 * @param period the sliding window of {@code intensity}
 * @param autoShutdown whether significant children's termination shuts the supervisor down
 * @param children the child specs, in start order
 */
public record SupervisorSpec(Strategy strategy, int intensity, Duration period, AutoShutdown autoShutdown,
                             List<ChildSpec> children) {
    public SupervisorSpec {
        Objects.requireNonNull(strategy, "strategy");
        Objects.requireNonNull(period, "period");
        Objects.requireNonNull(autoShutdown, "autoShutdown");
        if (intensity < 0) {
            throw new IllegalArgumentException("the restart intensity must be 0 or more, not " + intensity);
        }
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("the restart period must be positive, not " + period);
        }
        children = List.copyOf(children);
    }

    /** OTP's defaults with this strategy and no children. */
    static SupervisorSpec of(Strategy strategy) {
        return new SupervisorSpec(strategy, 1, Duration.ofSeconds(5), AutoShutdown.NEVER, List.of());
    }

    /**
     * At most {@code maxRestarts} restarts within any {@code period}: the restart that would be one more makes the
     * supervisor stop its children and exit with {@code shutdown}.
     */
    public SupervisorSpec intensity(int maxRestarts, Duration period) {
        return new SupervisorSpec(strategy, maxRestarts, period, autoShutdown, children);
    }

    /** This spec with another auto-shutdown rule. */
    public SupervisorSpec autoShutdown(AutoShutdown rule) {
        return new SupervisorSpec(strategy, intensity, period, rule, children);
    }

    /** This spec with {@code child} added after the others. */
    public SupervisorSpec child(ChildSpec child) {
        Objects.requireNonNull(child, "child");
        List<ChildSpec> all = new ArrayList<>(children);
        all.add(child);
        return new SupervisorSpec(strategy, intensity, period, autoShutdown, all);
    }

    /** This spec with {@code more} added after the others, in order. */
    public SupervisorSpec children(ChildSpec... more) {
        List<ChildSpec> all = new ArrayList<>(children);
        all.addAll(Arrays.asList(more));
        return new SupervisorSpec(strategy, intensity, period, autoShutdown, all);
    }
}
