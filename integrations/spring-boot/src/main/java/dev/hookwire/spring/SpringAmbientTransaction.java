package dev.hookwire.spring;

import dev.hookwire.dispatch.AmbientTransaction;
import java.sql.Connection;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.datasource.ConnectionHolder;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Spring's transactions as Hookwire's {@link AmbientTransaction}: inside a transaction that
 * Spring manages on the store's {@link DataSource} ({@code @Transactional}, a {@code
 * TransactionTemplate}; through a {@code DataSourceTransactionManager}, or a {@code
 * JpaTransactionManager} that exposes its JDBC connection, as Hibernate's does), {@code
 * dispatcher.send(event)} writes through that transaction's
 * connection, and the dispatcher is woken once it commits. Outside one, or in a transaction that
 * holds no connection of this data source (another database's), {@code send} commits on its own.
 *
 * <p>The auto-configuration sets it on its dispatcher when the store is the {@code
 * JdbcDeliveryStore} it made on the application's data source. A host that builds its own
 * dispatcher on a {@code JdbcDeliveryStore} sets it with {@code
 * Dispatcher.builder().ambientTransaction(SpringAmbientTransaction.of(dataSource))}, the data
 * source being the store's.
 *
 * <p>Thread-safe; called on the thread that calls {@code send}.
 */
public final class SpringAmbientTransaction implements AmbientTransaction {
  private final DataSource dataSource;

  private SpringAmbientTransaction(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Joins Spring's transactions on a data source.
   *
   * @param dataSource the data source of the dispatcher's store, as the transaction manager
   *     knows it
   * @return the ambient transaction
   */
  public static SpringAmbientTransaction of(DataSource dataSource) {
    return new SpringAmbientTransaction(Objects.requireNonNull(dataSource, "dataSource == null"));
  }

  @Override
  public Optional<Connection> currentConnection() {
    if (!TransactionSynchronizationManager.isActualTransactionActive()
        || !TransactionSynchronizationManager.isSynchronizationActive()
        || !(TransactionSynchronizationManager.getResource(dataSource) instanceof ConnectionHolder)) {
      // No transaction, or one on another resource: asking DataSourceUtils for a connection
      // here would bind a new auto-commit connection to the thread, outside any transaction.
      return Optional.empty();
    }
    Connection connection = DataSourceUtils.getConnection(dataSource);
    // Inside the transaction releasing only counts the request down: the connection stays bound
    // to the transaction, which commits and closes it.
    DataSourceUtils.releaseConnection(connection, dataSource);
    return Optional.of(connection);
  }

  @Override
  public void afterCommit(Runnable action) {
    Objects.requireNonNull(action, "action == null");
    TransactionSynchronizationManager.registerSynchronization(
        new TransactionSynchronization() {
          @Override
          public void afterCommit() {
            action.run();
          }
        });
  }

  @Override
  public String toString() {
    return "SpringAmbientTransaction[" + dataSource.getClass().getSimpleName() + "]";
  }
}
