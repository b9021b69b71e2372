package io.ergon.sample;

import io.ergon.etf.RecordRegistry;
import io.ergon.gen.ChildSpec;
import io.ergon.node.Node;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * A Spring Boot service with an Ergon node in it: one supervised {@link Greeter} process, registered as
 * {@code greeter}, answers HTTP requests ({@code GET /greet/Ada}) and Erlang's
 * {@code gen_server:call({greeter, 'greeter@localhost'}, {greet, <<"Ada">>})} alike, and counts them all. The node
 * is named and configured in {@code application.yml} ({@code ergon.*}); Actuator's {@code /actuator/health} shows
 * it with its connected peers. Run it with {@code mvn -pl ergon-spring-boot-sample spring-boot:run}.
 */
@SpringBootApplication
public class GreeterApplication {
    static {
        // {greet, Name} from Erlang arrives as a Greet, and a Greet goes to Erlang as {greet, Name}
        RecordRegistry.global().register(Greet.class);
    }

    public static void main(String[] args) {
        SpringApplication.run(GreeterApplication.class, args);
    }

    /** The greeter, supervised by the starter's root supervisor: restarted if it crashes. */
    @Bean
    ChildSpec greeter() {
        return ChildSpec.worker("greeter", Greeter::new).register(Greeter.NAME);
    }

    /** The HTTP face of the greeter: each request is a call to the process. */
    @RestController
    static class GreetController {
        private final Node node;

        GreetController(Node node) {
            this.node = node;
        }

        @GetMapping("/greet/{name}")
        String greet(@PathVariable("name") String name) {
            return node.callAs(Greeter.NAME, new Greet(name), String.class);
        }
    }
}
