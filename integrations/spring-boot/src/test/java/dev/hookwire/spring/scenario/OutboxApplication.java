package dev.hookwire.spring.scenario;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;

/** A host application with a data source and nothing of Hookwire's but the starter. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import(Experiments.class)
public class OutboxApplication {
  /** For Spring. */
  public OutboxApplication() {}
}
