package dev.hookwire.opentelemetry;

import dev.hookwire.store.spi.NewMessage;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The text kept with a message in the delivery store: the W3C {@code traceparent} value, then, if
 * the context has a non-empty {@code tracestate}, a {@code ;} and its value, e.g. {@code
 * 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01;vendor=abc}. A {@code traceparent}
 * never holds a {@code ;}, so the first one splits the two. Printable ASCII, as both headers are;
 * a {@code tracestate} that would make it longer than the store keeps is dropped (W3C lets any
 * hop drop it), and other propagated fields, baggage among them, are not kept: baggage is the
 * application's data, not a trace context, and has no business in the queue.
 */
final class TraceContextCodec {
  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";

  /** Writes into a map; for propagators' {@code inject}. */
  static final TextMapSetter<Map<String, String>> SETTER = (carrier, key, value) -> {
    if (carrier != null) {
      carrier.put(key, value);
    }
  };

  /** Reads a map as {@link #decode} returns it; for propagators' {@code extract}. */
  static final TextMapGetter<Map<String, String>> GETTER =
      (carrier, key) -> carrier == null ? null : carrier.get(key);

  private TraceContextCodec() {}

  /**
   * Encodes what a propagator injected.
   *
   * @return the text to keep; empty if there is no {@code traceparent} or it is not printable
   *     ASCII without {@code ;}
   */
  static Optional<String> encode(Map<String, String> injected) {
    String parent = injected.get(TRACEPARENT);
    if (parent == null || parent.isEmpty() || parent.indexOf(';') >= 0 || !printable(parent)
        || parent.length() > NewMessage.MAX_TRACE_CONTEXT_LENGTH) {
      return Optional.empty();
    }
    String state = injected.get(TRACESTATE);
    if (state == null || state.isEmpty() || !printable(state)
        || parent.length() + 1 + state.length() > NewMessage.MAX_TRACE_CONTEXT_LENGTH) {
      return Optional.of(parent);
    }
    return Optional.of(parent + ';' + state);
  }

  /**
   * Decodes kept text into the headers it came from, for a propagator to extract; whatever the
   * text, the propagator's own checks decide whether it is a valid context.
   */
  static Map<String, String> decode(String kept) {
    Map<String, String> headers = new HashMap<>();
    int semicolon = kept.indexOf(';');
    headers.put(TRACEPARENT, semicolon < 0 ? kept : kept.substring(0, semicolon));
    if (semicolon >= 0 && semicolon + 1 < kept.length()) {
      headers.put(TRACESTATE, kept.substring(semicolon + 1));
    }
    return headers;
  }

  private static boolean printable(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
