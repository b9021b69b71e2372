package io.ergon.cli.demo;

import io.ergon.gen.ApplicationSpec;
import io.ergon.gen.Applications;
import io.ergon.gen.ChildInfo;
import io.ergon.gen.ChildSpec;
import io.ergon.gen.ChildType;
import io.ergon.gen.GenServer;
import io.ergon.gen.Strategy;
import io.ergon.gen.Supervisor;
import io.ergon.gen.SupervisorClient;
import io.ergon.gen.SupervisorSpec;
import io.ergon.node.Down;
import io.ergon.node.Mailbox;
import io.ergon.node.Node;
import io.ergon.term.Atom;
import io.ergon.term.Pid;
import io.ergon.term.Ref;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * The second act of {@code ergon demo}: a supervision tree heals itself. An application starts its tree; a worker
 * fails and is restarted alone; a worker of a one_for_all subtree fails and its sibling is restarted with it; the
 * subtree fails too often, trips its restart limit and gives up; its parent restarts the whole subtree; the tree is
 * whole again; closing the node stops the application through its tree.
 */
public final class SupervisionDemo {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private final PrintStream out;

    public SupervisionDemo(PrintStream out) {
        this.out = out;
    }

    /** A worker that does nothing but live. */
    static final class Worker extends GenServer {
    }

    public void run() {
        out.println("== Act 2: a supervision tree heals itself ==");
        try (Node node = Node.start("demo@localhost"); Mailbox me = node.mailbox()) {
            SupervisorSpec payments = Supervisor.spec(Strategy.ONE_FOR_ALL).intensity(2, Duration.ofSeconds(5))
                    .children(ChildSpec.worker("gateway", Worker::new), ChildSpec.worker("ledger", Worker::new));
            Applications apps = Applications.of(node);
            apps.load(ApplicationSpec.of("shop").version("1.0").root(Supervisor.spec(Strategy.ONE_FOR_ONE)
                    .intensity(3, Duration.ofSeconds(5))
                    .children(ChildSpec.worker("cache", Worker::new), ChildSpec.supervisor("payments", payments))));
            apps.start("shop");
            Pid rootPid = apps.running().get(0).root();
            SupervisorClient root = Supervisor.client(me, rootPid);
            out.println("  1. Started the application 'shop' and with it its supervision tree. Its root restarts a");
            out.println("     failed child alone (one_for_one); 'payments' restarts both its workers when one fails");
            out.println("     (one_for_all), at most 2 times in 5 s:");
            printTree(node, "root", rootPid, "     ");

            out.println("  2. 'cache' fails (an exit signal, disk_full; the supervisors report on stderr).");
            Pid cache = pidOf(root, "cache");
            fail(me, cache, "disk_full");
            out.println("     the root restarted it alone: cache " + cache + " -> " + pidOf(root, "cache")
                    + "; payments is untouched.");

            SupervisorClient pay = Supervisor.client(me, pidOf(root, "payments"));
            out.println("  3. 'gateway' fails. payments is one_for_all: it stops 'ledger' too and restarts both.");
            Pid gateway = pidOf(pay, "gateway");
            Pid ledger = pidOf(pay, "ledger");
            fail(me, gateway, "timeout");
            out.println("     gateway " + gateway + " -> " + pidOf(pay, "gateway") + ", ledger " + ledger + " -> "
                    + pidOf(pay, "ledger") + " (restart 1 of 2 allowed in 5 s)");
            fail(me, pidOf(pay, "gateway"), "timeout");
            out.println("  4. 'gateway' fails again: restart 2 of 2. And once more...");
            Pid paymentsPid = pidOf(root, "payments");
            Ref watch = me.monitor(paymentsPid);
            fail(me, pidOf(pay, "gateway"), "timeout");
            Down down = (Down) me.receive(m -> m instanceof Down d && d.ref().equals(watch), WAIT);
            out.println("     a 3rd restart within 5 s exceeds the limit: payments stops its children and exits with '"
                    + down.reason() + "'.");

            Pid newPayments = pidOf(root, "payments");
            out.println("  5. The root sees its child 'payments' exit and restarts the whole subtree: payments "
                    + paymentsPid + " -> " + newPayments + ", with fresh workers.");
            out.println("  6. The tree is whole again:");
            printTree(node, "root", rootPid, "     ");
            out.println("  7. Closing the node: the application stops first, through its tree (leaves first, newest first),");
            out.println("     then everything else.");
        }
        out.println();
    }

    /** Sends {@code pid} an exit signal and waits until it is gone (its supervisor has learned of it by then). */
    private static void fail(Mailbox me, Pid pid, String reason) {
        Ref ref = me.monitor(pid);
        me.exit(pid, Atom.of(reason));
        me.receive(m -> m instanceof Down d && d.ref().equals(ref), WAIT);
    }

    private static Pid pidOf(SupervisorClient sup, String id) {
        return sup.whichChildren().stream().filter(c -> id.equals(c.id())).findFirst().orElseThrow().pid();
    }

    private void printTree(Node node, String name, Pid sup, String indent) {
        out.println(indent + name + " " + sup);
        printChildren(node, sup, indent);
    }

    private void printChildren(Node node, Pid sup, String indent) {
        List<ChildInfo> children = Supervisor.client(node, sup).whichChildren().reversed(); // start order
        for (int i = 0; i < children.size(); i++) {
            ChildInfo c = children.get(i);
            boolean last = i == children.size() - 1;
            out.println(indent + (last ? "└── " : "├── ") + c.id() + " " + c.pid()
                    + (c.type() == ChildType.SUPERVISOR ? " (supervisor)" : ""));
            if (c.type() == ChildType.SUPERVISOR && c.pid() != null) {
                printChildren(node, c.pid(), indent + (last ? "    " : "│   "));
            }
        }
    }
}
