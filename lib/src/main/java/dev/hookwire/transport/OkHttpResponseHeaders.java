package dev.hookwire.transport;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import okhttp3.Headers;

/**
 * A response's headers as {@link TransportResponse} holds them, read from OkHttp's own immutable
 * {@link Headers} when asked instead of copied for every response: the dispatcher reads one
 * header, and only after a few statuses. Names match without regard to case, as OkHttp matches
 * them. Immutable and thread-safe.
 */
final class OkHttpResponseHeaders extends AbstractMap<String, List<String>> {
  private final Headers headers;

  OkHttpResponseHeaders(Headers headers) {
    this.headers = headers;
  }

  @Override
  public List<String> get(Object key) {
    if (!(key instanceof String name)) {
      return null;
    }
    List<String> values = headers.values(name); // unmodifiable
    return values.isEmpty() ? null : values;
  }

  @Override
  public boolean containsKey(Object key) {
    return key instanceof String name && headers.get(name) != null;
  }

  @Override
  public boolean isEmpty() {
    return headers.size() == 0;
  }

  @Override
  public int size() {
    return grouped().size();
  }

  @Override
  public Set<Map.Entry<String, List<String>>> entrySet() {
    return grouped().entrySet();
  }

  /** The headers grouped by name, as {@link TransportResponse} would copy them; made per call. */
  private Map<String, List<String>> grouped() {
    Map<String, List<String>> grouped = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 0; i < headers.size(); i++) {
      grouped.computeIfAbsent(headers.name(i), name -> new ArrayList<>()).add(headers.value(i));
    }
    grouped.replaceAll((name, values) -> List.copyOf(values));
    return Collections.unmodifiableMap(grouped);
  }
}
