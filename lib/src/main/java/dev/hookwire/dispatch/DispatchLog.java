package dev.hookwire.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one logger of the sending side, named after the Dispatcher class, which users know: its
 * parts log under that name so that one logger setting covers them all.
 */
final class DispatchLog {
  static final Logger LOG = LoggerFactory.getLogger("dev.hookwire.dispatch.Dispatcher");

  private DispatchLog() {}
}
