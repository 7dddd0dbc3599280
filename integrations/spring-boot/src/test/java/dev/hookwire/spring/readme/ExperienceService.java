package dev.hookwire.spring.readme;

// tag::sending[]
import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.event.ExperienceEvent;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
// end::sending[]

// tag::sending[]
@Service
public class ExperienceService {
  private final JdbcTemplate jdbc;
  private final Dispatcher dispatcher;

  ExperienceService(JdbcTemplate jdbc, Dispatcher dispatcher) {
    this.jdbc = jdbc;
    this.dispatcher = dispatcher;
  }

  @Transactional
  public void record(ExperienceEvent experience) {
    jdbc.update("UPDATE experiences SET state = ? WHERE id = ?",
        experience.action().name(), experience.experienceId());
    dispatcher.send(experience.toEvent());   // stored in this transaction: sent if it commits
  }
}
// end::sending[]
