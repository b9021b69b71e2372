package io.ergon.examples;

import io.ergon.gen.GenStatem;
import io.ergon.gen.StateEvent;
import io.ergon.gen.Transition;
import io.ergon.node.Node;
import io.ergon.term.Pid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * OTP's own {@code gen_statem} example, the code lock, in Java: buttons pressed while locked are collected until
 * they match the code; then the lock opens, and a state timeout locks it again. A button pressed while open is
 * postponed and counts towards the next code once locked. Run it with {@code ./ergon example code-lock}.
 */
public final class CodeLock extends GenStatem<CodeLock.State, List<Integer>> {
    /** How long the lock stays open. */
    static final Duration OPEN_FOR = Duration.ofMillis(200);

    /** Locked or open. */
    public enum State { LOCKED, OPEN }

    private final List<Integer> code;

    public CodeLock(List<Integer> code) {
        this.code = List.copyOf(code);
    }

    @Override
    protected Transition<State, List<Integer>> initialState() {
        return next(State.LOCKED, List.of());
    }

    @Override
    protected boolean stateEnter() {
        return true;
    }

    @Override
    protected Transition<State, List<Integer>> handleEvent(StateEvent event, State state, List<Integer> pressed) {
        return switch (event) {
            case StateEvent.Enter e -> {
                log().info("lock {} is {}", self(), state);
                yield keep();
            }
            case StateEvent.Call(Integer button, var from) when state == State.LOCKED -> {
                List<Integer> now = new ArrayList<>(pressed);
                now.add(button);
                if (now.equals(code)) {
                    yield next(State.OPEN, List.<Integer>of()).reply(from, "open").stateTimeout(OPEN_FOR, "lock");
                }
                List<Integer> kept = now.size() < code.size() ? now : now.subList(1, now.size());
                yield keep(List.copyOf(kept)).reply(from, "locked");
            }
            case StateEvent.Call(var button, var from) -> keep().postpone(); // wait until it locks again
            case StateEvent.StateTimeout t -> next(State.LOCKED);
            default -> keep();
        };
    }

    public static void main(String[] args) {
        System.out.println(run());
    }

    /**
     * Presses 1, 2, 3 (the code), then 9 while open: that press waits until the lock closes by itself.
     *
     * @return the answers to the four presses
     */
    public static List<String> run() {
        try (Node node = Node.start("code_lock@localhost")) {
            Pid lock = node.spawn(() -> new CodeLock(List.of(1, 2, 3)));
            List<String> answers = new ArrayList<>();
            for (int button : List.of(1, 2, 3, 9)) {
                answers.add(node.call(lock, button));
            }
            return answers;
        }
    }
}
