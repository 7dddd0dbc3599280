package dev.hookwire.micrometer;

import dev.hookwire.store.AttemptRecord;

/** The {@code outcome} tag of an attempt: one value of a fixed set, whatever the status. */
final class Outcomes {
  static final String SUCCESS = "success";
  static final String HTTP_3XX = "http_3xx";
  static final String HTTP_4XX = "http_4xx";
  static final String HTTP_5XX = "http_5xx";
  static final String TIMEOUT = "timeout";
  static final String NETWORK = "network";
  static final String REFUSED = "refused";

  /** Every value, in the order the documentation lists them. */
  static final String[] ALL = {SUCCESS, HTTP_3XX, HTTP_4XX, HTTP_5XX, TIMEOUT, NETWORK, REFUSED};

  private Outcomes() {}

  static String of(AttemptRecord attempt) {
    switch (attempt.outcome()) {
      case SUCCEEDED:
        return SUCCESS;
      case HTTP_ERROR:
        // A failing answer below 400 is a redirect in practice: the transport never completes
        // with a 1xx, and 2xx succeeds.
        int status = attempt.status();
        return status >= 500 ? HTTP_5XX : status >= 400 ? HTTP_4XX : HTTP_3XX;
      case TIMEOUT:
        return TIMEOUT;
      case REFUSED:
        return REFUSED;
      case NETWORK_ERROR:
      default:
        return NETWORK;
    }
  }
}
