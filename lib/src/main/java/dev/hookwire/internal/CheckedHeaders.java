package dev.hookwire.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable, ordered set of request headers that has passed {@link HeaderRules}: every name a
 * token that the HTTP client does not manage, every value allowed, no name twice in any case.
 * Every way to make one checks, so holding one is proof: a {@code TransportRequest} takes it as
 * it is, without the copy and the checks it gives any other map.
 *
 * <p>Made for the hot path of sending: the headers an endpoint sends on every request are
 * checked once ({@link #copyOf}); a signer's few headers have names fixed in advance ({@link
 * Names}, checked once) so that each request checks only their values; {@link #concat} joins
 * them, checking only that no name appears twice. Lookups by name ignore case and scan, which
 * beats hashing for the handful of headers a request has.
 *
 * <p>Immutable and thread-safe.
 */
public final class CheckedHeaders extends AbstractMap<String, String> {
  private static final String[] NONE = new String[0];

  /** The empty set of headers. */
  public static final CheckedHeaders EMPTY = new CheckedHeaders(NONE, NONE);

  private final String[] names;
  private final String[] values;

  private CheckedHeaders(String[] names, String[] values) {
    this.names = names;
    this.values = values;
  }

  /**
   * A fixed list of header names, checked once: tokens, none managed by the HTTP client, none
   * twice. Immutable and thread-safe.
   */
  public static final class Names {
    private final String[] names;

    private Names(String[] names) {
      this.names = names;
    }

    /**
     * Returns the number of names.
     *
     * @return the size
     */
    public int size() {
      return names.length;
    }
  }

  /**
   * Checks a list of names for {@link #of}.
   *
   * @param names the names, in the order they are sent
   * @return the checked names
   * @throws IllegalArgumentException if a name is not a token, is managed by the HTTP client, or
   *     appears twice
   */
  public static Names names(String... names) {
    String[] copy = names.clone();
    for (int i = 0; i < copy.length; i++) {
      String name = HeaderRules.checkName(copy[i]);
      HeaderRules.checkNotManaged(name);
      for (int j = 0; j < i; j++) {
        if (copy[j].equalsIgnoreCase(name)) {
          throw HeaderRules.twice(name, copy[j]);
        }
      }
    }
    return new Names(copy);
  }

  /**
   * Returns headers with checked names and the given values, checking only the values.
   *
   * @param names the names
   * @param values one value per name, in the same order
   * @return the headers
   * @throws IllegalArgumentException if the counts differ or a value is not allowed
   */
  public static CheckedHeaders of(Names names, String... values) {
    if (values.length != names.names.length) {
      throw new IllegalArgumentException(names.names.length + " header names but " + values.length + " values");
    }
    String[] copy = values.clone();
    for (int i = 0; i < copy.length; i++) {
      HeaderRules.checkValue(names.names[i], copy[i]);
    }
    return new CheckedHeaders(names.names, copy);
  }

  /**
   * Checks and copies a map of headers; answers the map itself if it is already checked.
   *
   * @param headers names to values, in the order to send them
   * @return the checked headers
   * @throws IllegalArgumentException naming the first header that breaks a rule
   */
  /**
   * Returns one header, checked as {@link #copyOf} checks each.
   *
   * @param name the name
   * @param value the value
   * @return the header
   * @throws IllegalArgumentException naming what is wrong with it
   */
  public static CheckedHeaders of(String name, String value) {
    HeaderRules.checkName(name);
    HeaderRules.checkValue(name, value);
    HeaderRules.checkNotManaged(name);
    return new CheckedHeaders(new String[] {name}, new String[] {value});
  }

  public static CheckedHeaders copyOf(Map<String, String> headers) {
    if (headers instanceof CheckedHeaders checked) {
      return checked;
    }
    Objects.requireNonNull(headers, "headers == null");
    int n = headers.size();
    if (n == 0) {
      return EMPTY;
    }
    String[] names = new String[n];
    String[] values = new String[n];
    // Many headers (which no endpoint has) are checked for repeats in a sorted map, not by scanning.
    Map<String, String> seen = n > 16 ? new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER) : null;
    int i = 0;
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (i == n) {
        throw new IllegalArgumentException("headers changed while being copied");
      }
      String name = HeaderRules.checkName(header.getKey());
      HeaderRules.checkValue(name, header.getValue());
      HeaderRules.checkNotManaged(name);
      String previous = null;
      if (seen != null) {
        previous = seen.put(name, name);
      } else {
        for (int j = 0; j < i && previous == null; j++) {
          if (names[j].equalsIgnoreCase(name)) {
            previous = names[j];
          }
        }
      }
      if (previous != null) {
        throw HeaderRules.twice(name, previous);
      }
      names[i] = name;
      values[i] = header.getValue();
      i++;
    }
    if (i != n) {
      throw new IllegalArgumentException("headers changed while being copied");
    }
    return new CheckedHeaders(names, values);
  }

  /**
   * Joins checked headers, in order.
   *
   * @param parts the headers to join
   * @return the headers of every part, in order
   * @throws IllegalArgumentException if a name appears in two parts, in any case
   */
  public static CheckedHeaders concat(CheckedHeaders... parts) {
    int n = 0;
    for (CheckedHeaders part : parts) {
      n += part.names.length;
    }
    String[] names = new String[n];
    String[] values = new String[n];
    int at = 0;
    for (CheckedHeaders part : parts) {
      int size = part.names.length;
      for (int i = 0; i < size; i++) {
        String name = part.names[i];
        for (int j = 0; j < at; j++) {
          if (names[j].length() == name.length() && names[j].equalsIgnoreCase(name)) {
            throw HeaderRules.twice(name, names[j]);
          }
        }
        names[at] = name;
        values[at] = part.values[i];
        at++;
      }
    }
    return new CheckedHeaders(names, values);
  }

  /**
   * Returns the index of a header, its name matched without regard to case, or -1.
   *
   * @param name the name
   * @return the index, or -1
   */
  public int indexOf(String name) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].length() == name.length() && names[i].equalsIgnoreCase(name)) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Returns the name at an index.
   *
   * @param i from 0 to {@code size() - 1}
   * @return the name, as given
   */
  public String name(int i) {
    return names[i];
  }

  /**
   * Returns the value at an index.
   *
   * @param i from 0 to {@code size() - 1}
   * @return the value
   */
  public String value(int i) {
    return values[i];
  }

  @Override
  public int size() {
    return names.length;
  }

  @Override
  public boolean isEmpty() {
    return names.length == 0;
  }

  /** Matches the name exactly, as a map does; {@link #indexOf} ignores case. */
  @Override
  public boolean containsKey(Object key) {
    return exact(key) >= 0;
  }

  @Override
  public String get(Object key) {
    int i = exact(key);
    return i < 0 ? null : values[i];
  }

  private int exact(Object key) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  /** Names only: values may be credentials. */
  @Override
  public String toString() {
    return "CheckedHeaders" + java.util.Arrays.toString(names);
  }

  @Override
  public Set<Map.Entry<String, String>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < names.length;
          }

          @Override
          public Map.Entry<String, String> next() {
            if (next >= names.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new AbstractMap.SimpleImmutableEntry<>(names[i], values[i]);
          }
        };
      }

      @Override
      public int size() {
        return names.length;
      }
    };
  }
}
