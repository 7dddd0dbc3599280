package dev.hookwire.dispatch;

import dev.hookwire.event.WebhookEvent;

/** Ids of the dispatcher's own records, time-ordered like event ids. */
final class Ids {
  private Ids() {}

  static String endpointId() {
    return "ep_" + WebhookEvent.newId().substring(4);
  }

  static String deliveryId() {
    return "dlv_" + WebhookEvent.newId().substring(4);
  }

  static String messageId() {
    return "mg_" + WebhookEvent.newId().substring(4);
  }
}
