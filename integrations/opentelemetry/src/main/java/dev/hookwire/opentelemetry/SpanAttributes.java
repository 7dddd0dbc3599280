package dev.hookwire.opentelemetry;

import io.opentelemetry.api.common.AttributeKey;

/** The attributes Hookwire's spans carry: OpenTelemetry's semantic conventions, then its own. */
final class SpanAttributes {
  static final AttributeKey<String> HTTP_REQUEST_METHOD = AttributeKey.stringKey("http.request.method");
  static final AttributeKey<Long> HTTP_RESPONSE_STATUS_CODE = AttributeKey.longKey("http.response.status_code");
  static final AttributeKey<Long> HTTP_REQUEST_RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
  static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
  static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
  static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
  static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

  static final AttributeKey<String> DELIVERY_ID = AttributeKey.stringKey("hookwire.delivery.id");
  static final AttributeKey<String> ENDPOINT_ID = AttributeKey.stringKey("hookwire.endpoint.id");
  static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("hookwire.event.id");
  static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("hookwire.event.type");
  static final AttributeKey<Long> ATTEMPT_NUMBER = AttributeKey.longKey("hookwire.attempt.number");
  static final AttributeKey<Long> ATTEMPT_LAG_MS = AttributeKey.longKey("hookwire.attempt.lag_ms");
  static final AttributeKey<String> ATTEMPT_OUTCOME = AttributeKey.stringKey("hookwire.attempt.outcome");
  static final AttributeKey<String> RECEIVE_OUTCOME = AttributeKey.stringKey("hookwire.receive.outcome");
  static final AttributeKey<String> WEBHOOK_ID = AttributeKey.stringKey("hookwire.webhook.id");

  private SpanAttributes() {}
}
