package dev.hookwire.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code hookwire.*} settings of the auto-configured dispatcher, receiver and portal. Unset
 * settings keep the defaults of {@link dev.hookwire.dispatch.Dispatcher.Builder}; anything not
 * here is set with a {@link HookwireDispatcherCustomizer}.
 *
 * <p>Not thread-safe: Spring binds it once, at start-up.
 */
@ConfigurationProperties("hookwire")
public class HookwireProperties {

  /**
   * This node's id, which owns its leases; unique among the instances sharing a database.
   * Default: random.
   */
  private String nodeId;

  /**
   * How often the store is asked for work that other nodes enqueued. Default 1s.
   */
  private Duration pollInterval;

  /** Cap on this node's requests in flight across all endpoints. Default 256. */
  private Integer maxInFlight;

  /** Cap on this node's requests in flight to each endpoint. Default 32. */
  private Integer maxInFlightPerEndpoint;

  /**
   * How long succeeded deliveries and their attempts are kept. Default 7 days (1 hour with the
   * in-memory store).
   */
  private Duration retainSucceeded;

  /**
   * How long shutting down waits for requests in flight before it stops the dispatcher. Default
   * 30s.
   */
  private Duration drainTimeout;

  private final Store store = new Store();
  private final Network network = new Network();
  private final Receiver receiver = new Receiver();
  private final Metrics metrics = new Metrics();
  private final Tracing tracing = new Tracing();
  private final Portal portal = new Portal();

  /** For Spring. */
  public HookwireProperties() {}

  /**
   * Returns the node id.
   *
   * @return the node id, or null for a random one
   */
  public String getNodeId() {
    return nodeId;
  }

  /**
   * Sets the node id.
   *
   * @param nodeId the node id
   */
  public void setNodeId(String nodeId) {
    this.nodeId = nodeId;
  }

  /**
   * Returns the poll interval.
   *
   * @return the interval, or null for the default
   */
  public Duration getPollInterval() {
    return pollInterval;
  }

  /**
   * Sets the poll interval.
   *
   * @param pollInterval the interval
   */
  public void setPollInterval(Duration pollInterval) {
    this.pollInterval = pollInterval;
  }

  /**
   * Returns the global cap on requests in flight.
   *
   * @return the cap, or null for the default
   */
  public Integer getMaxInFlight() {
    return maxInFlight;
  }

  /**
   * Sets the global cap on requests in flight.
   *
   * @param maxInFlight the cap
   */
  public void setMaxInFlight(Integer maxInFlight) {
    this.maxInFlight = maxInFlight;
  }

  /**
   * Returns the cap on requests in flight per endpoint.
   *
   * @return the cap, or null for the default
   */
  public Integer getMaxInFlightPerEndpoint() {
    return maxInFlightPerEndpoint;
  }

  /**
   * Sets the cap on requests in flight per endpoint.
   *
   * @param maxInFlightPerEndpoint the cap
   */
  public void setMaxInFlightPerEndpoint(Integer maxInFlightPerEndpoint) {
    this.maxInFlightPerEndpoint = maxInFlightPerEndpoint;
  }

  /**
   * Returns how long succeeded deliveries are kept.
   *
   * @return the age, or null for the default
   */
  public Duration getRetainSucceeded() {
    return retainSucceeded;
  }

  /**
   * Sets how long succeeded deliveries are kept.
   *
   * @param retainSucceeded the age
   */
  public void setRetainSucceeded(Duration retainSucceeded) {
    this.retainSucceeded = retainSucceeded;
  }

  /**
   * Returns the drain timeout.
   *
   * @return the timeout, or null for the default
   */
  public Duration getDrainTimeout() {
    return drainTimeout;
  }

  /**
   * Sets the drain timeout.
   *
   * @param drainTimeout the timeout
   */
  public void setDrainTimeout(Duration drainTimeout) {
    this.drainTimeout = drainTimeout;
  }

  /**
   * Returns the store settings.
   *
   * @return the store settings
   */
  public Store getStore() {
    return store;
  }

  /**
   * Returns the network settings.
   *
   * @return the network settings
   */
  public Network getNetwork() {
    return network;
  }

  /**
   * Returns the receiver settings.
   *
   * @return the receiver settings
   */
  public Receiver getReceiver() {
    return receiver;
  }

  /**
   * Returns the metrics settings.
   *
   * @return the metrics settings
   */
  public Metrics getMetrics() {
    return metrics;
  }

  /**
   * Returns the {@code hookwire.tracing.*} settings.
   *
   * @return the settings
   */
  public Tracing getTracing() {
    return tracing;
  }

  /**
   * Returns the {@code hookwire.portal.*} settings.
   *
   * @return the settings
   */
  public Portal getPortal() {
    return portal;
  }

  /**
   * {@code hookwire.portal.*}: the operator portal, served with {@code hookwire-portal} on the
   * class path in a servlet web application.
   */
  public static class Portal {
    /**
     * Whether the operator portal is served, where tenants manage their own endpoints. Needs a
     * PortalAuthorizer bean, which maps a request's signed-in user to a tenant.
     */
    private boolean enabled;

    /**
     * Path the portal is served at, below the application's context path: the page is at
     * PATH/, the API at PATH/api/. The application's own authentication applies to it.
     */
    private String path = "/hookwire/portal";

    /** For Spring. */
    public Portal() {}

    /**
     * Returns whether the portal is served.
     *
     * @return whether it is
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether the portal is served.
     *
     * @param enabled whether it is
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the portal's path.
     *
     * @return the path
     */
    public String getPath() {
      return path;
    }

    /**
     * Sets the portal's path.
     *
     * @param path the path
     */
    public void setPath(String path) {
      this.path = path;
    }
  }

  /** {@code hookwire.tracing.*}: OpenTelemetry spans, with {@code hookwire-opentelemetry}. */
  public static class Tracing {
    /** Whether the dispatcher and the receiver are traced when the application has an OpenTelemetry. */
    private boolean enabled = true;

    /**
     * Whether the receiver continues the trace of an incoming request's traceparent. Off, its
     * span starts a trace of its own, linked to the sender's: the header arrives before the
     * signature is checked, so a stranger could choose the trace ids. Turn it on when only your
     * own senders reach the endpoint.
     */
    private boolean continueIncomingTraces;

    /** For Spring. */
    public Tracing() {}

    /**
     * Returns whether tracing is on.
     *
     * @return whether it is
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether tracing is on.
     *
     * @param enabled whether it is
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns whether incoming traces are continued.
     *
     * @return whether they are
     */
    public boolean isContinueIncomingTraces() {
      return continueIncomingTraces;
    }

    /**
     * Sets whether incoming traces are continued.
     *
     * @param continueIncomingTraces whether they are
     */
    public void setContinueIncomingTraces(boolean continueIncomingTraces) {
      this.continueIncomingTraces = continueIncomingTraces;
    }
  }

  /** {@code hookwire.store.*}: the JDBC store made on the application's data source. */
  public static class Store {
    /**
     * Whether the store creates its tables when they are missing and upgrades older ones. Turn
     * it off where migrations (Flyway, Liquibase) manage the schema, from the scripts shipped as
     * dev/hookwire/store/jdbc/schema-DIALECT.sql.
     */
    private boolean createSchema = true;

    /**
     * Prefix of the store's table names: lower-case letters, digits and underscores, starting
     * with a letter, at most 32 characters.
     */
    private String tablePrefix = "hookwire_";

    /** For Spring. */
    public Store() {}

    /**
     * Returns whether the store creates its tables.
     *
     * @return whether it does
     */
    public boolean isCreateSchema() {
      return createSchema;
    }

    /**
     * Sets whether the store creates its tables.
     *
     * @param createSchema whether it does
     */
    public void setCreateSchema(boolean createSchema) {
      this.createSchema = createSchema;
    }

    /**
     * Returns the table prefix.
     *
     * @return the prefix
     */
    public String getTablePrefix() {
      return tablePrefix;
    }

    /**
     * Sets the table prefix.
     *
     * @param tablePrefix the prefix
     */
    public void setTablePrefix(String tablePrefix) {
      this.tablePrefix = tablePrefix;
    }
  }

  /** {@code hookwire.network.*}: where the dispatcher may send. */
  public static class Network {
    /**
     * Whether endpoints on loopback, private and link-local addresses are allowed: for local
     * development only. Off, they are refused at registration and at every connection.
     */
    private boolean allowPrivateNetworks;

    /** For Spring. */
    public Network() {}

    /**
     * Returns whether private networks are allowed.
     *
     * @return whether they are
     */
    public boolean isAllowPrivateNetworks() {
      return allowPrivateNetworks;
    }

    /**
     * Sets whether private networks are allowed.
     *
     * @param allowPrivateNetworks whether they are
     */
    public void setAllowPrivateNetworks(boolean allowPrivateNetworks) {
      this.allowPrivateNetworks = allowPrivateNetworks;
    }
  }

  /** {@code hookwire.receiver.*}: the webhook endpoint. */
  public static class Receiver {
    /**
     * Standard Webhooks secrets ("whsec_...") that incoming webhooks are verified with; several
     * while a sender rotates. Without any, no receiver or endpoint is configured.
     */
    private List<String> secrets = new ArrayList<>();

    /** Path of the endpoint that takes webhooks by POST. */
    private String path = "/webhooks";

    /**
     * Whether, with Spring Security present, the endpoint's path gets a security filter chain of
     * its own that lets every request through (the signature is its authentication) and skips
     * CSRF checks. The application's other paths keep their security.
     */
    private boolean permitPath = true;

    /** For Spring. */
    public Receiver() {}

    /**
     * Returns the secrets.
     *
     * @return the secrets
     */
    public List<String> getSecrets() {
      return secrets;
    }

    /**
     * Sets the secrets.
     *
     * @param secrets the secrets
     */
    public void setSecrets(List<String> secrets) {
      this.secrets = secrets;
    }

    /**
     * Returns the endpoint's path.
     *
     * @return the path
     */
    public String getPath() {
      return path;
    }

    /**
     * Sets the endpoint's path.
     *
     * @param path the path
     */
    public void setPath(String path) {
      this.path = path;
    }

    /**
     * Returns whether the path gets a permitting security filter chain.
     *
     * @return whether it does
     */
    public boolean isPermitPath() {
      return permitPath;
    }

    /**
     * Sets whether the path gets a permitting security filter chain.
     *
     * @param permitPath whether it does
     */
    public void setPermitPath(boolean permitPath) {
      this.permitPath = permitPath;
    }

    @Override
    public String toString() {
      return "Receiver[" + secrets.size() + " secret(s), " + path + "]";
    }
  }

  /**
   * {@code hookwire.metrics.*}: the Micrometer meters, made when {@code hookwire-micrometer} is on
   * the class path and the application has a {@code MeterRegistry}.
   */
  public static class Metrics {
    /** Whether the dispatcher's and the receiver's meters are registered. */
    private boolean enabled = true;

    /**
     * Whether the dispatcher's meters are tagged with the endpoint's id. Off by default: every
     * endpoint then adds a time series to each of those meters, so with many endpoints, or
     * endpoints that users register, the registry and the monitoring system behind it grow
     * without bound. Turn it on for a few endpoints you know.
     */
    private boolean tagEndpoints;

    /**
     * How old the gauges' store reads (backlog, disabled endpoints) may get before a scrape reads
     * the store again; zero reads on every scrape.
     */
    private Duration refreshInterval = Duration.ofSeconds(10);

    /** For Spring. */
    public Metrics() {}

    /**
     * Returns whether the meters are registered.
     *
     * @return whether they are
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether the meters are registered.
     *
     * @param enabled whether they are
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns whether the dispatcher's meters are tagged by endpoint.
     *
     * @return whether they are
     */
    public boolean isTagEndpoints() {
      return tagEndpoints;
    }

    /**
     * Sets whether the dispatcher's meters are tagged by endpoint.
     *
     * @param tagEndpoints whether they are
     */
    public void setTagEndpoints(boolean tagEndpoints) {
      this.tagEndpoints = tagEndpoints;
    }

    /**
     * Returns how old the gauges' store reads may get.
     *
     * @return the interval
     */
    public Duration getRefreshInterval() {
      return refreshInterval;
    }

    /**
     * Sets how old the gauges' store reads may get.
     *
     * @param refreshInterval the interval
     */
    public void setRefreshInterval(Duration refreshInterval) {
      this.refreshInterval = refreshInterval;
    }
  }
}
