package dev.hookwire.spring.scenario;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.event.WebhookEvent;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** A host's service: records an experience and sends its event in one transaction. */
@Service
public class Experiments {
  private final JdbcTemplate jdbc;
  private final Dispatcher dispatcher;
  private final String table;

  Experiments(JdbcTemplate jdbc, Dispatcher dispatcher, @Value("${test.experiments-table}") String table) {
    this.jdbc = jdbc;
    this.dispatcher = dispatcher;
    this.table = table;
    jdbc.execute("CREATE TABLE IF NOT EXISTS " + table + " (id VARCHAR(64) PRIMARY KEY)");
  }

  /**
   * Records the experience of an event and sends the event, in one transaction; throws after
   * sending when asked to, which rolls both back.
   *
   * @param event the event
   * @param orderingKey its ordering key
   * @param failAfterSending whether to throw once the event is sent
   */
  @Transactional
  public void start(WebhookEvent<?> event, String orderingKey, boolean failAfterSending) {
    jdbc.update("INSERT INTO " + table + " (id) VALUES (?)", event.id());
    dispatcher.send(event, orderingKey);
    if (failAfterSending) {
      throw new IllegalStateException("rolled back after sending");
    }
  }

  /**
   * Returns whether the experience of an event was recorded.
   *
   * @param eventId the event's id
   * @return whether its row exists
   */
  public boolean recorded(String eventId) {
    Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM " + table + " WHERE id = ?", Integer.class, eventId);
    return n != null && n > 0;
  }

  /** Drops the table. */
  public void drop() {
    jdbc.execute("DROP TABLE IF EXISTS " + table);
  }
}
