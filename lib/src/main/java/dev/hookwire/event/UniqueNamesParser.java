package dev.hookwire.event;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonTokenId;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * A parser that refuses a key repeated in one object, as {@code
 * StreamReadFeature.STRICT_DUPLICATE_DETECTION} does, with the same message, but at a fraction of
 * its cost: Jackson's detector makes a {@link HashSet} for every object of three or more keys,
 * which was a third of what reading a nested event allocated. Here the keys of the open objects
 * share one array, compared linearly while an object has at most {@value #SCAN_LIMIT} keys; an
 * object with more gets a hash set, so that a hostile body with a huge object stays linear.
 *
 * <p>Every token passes through {@link #nextToken()}: Jackson's {@code nextFieldName}, {@code
 * nextTextValue} and the like call it, and {@link #skipChildren()} is rewritten to, so that keys
 * in skipped content are checked as well. Not thread-safe, as no parser is.
 */
final class UniqueNamesParser extends JsonParserDelegate {
  /** Keys per object compared linearly before a hash set takes over. */
  static final int SCAN_LIMIT = 16;

  /** The keys of every open object, outermost first. */
  private String[] names = new String[16];

  private int size;

  /** Where each open object's keys start in {@link #names}, outermost first. */
  private int[] starts = new int[4];

  /** The hash set of each open object that outgrew the scan, or null. */
  private Set<?>[] sets;

  private int depth;

  UniqueNamesParser(JsonParser parser) {
    super(parser);
  }

  @Override
  public JsonToken nextToken() throws IOException {
    JsonToken token = delegate.nextToken();
    if (token != null) {
      switch (token.id()) {
        case JsonTokenId.ID_FIELD_NAME -> add(delegate.currentName());
        case JsonTokenId.ID_START_OBJECT -> openObject();
        case JsonTokenId.ID_END_OBJECT -> closeObject();
        default -> {}
      }
    }
    return token;
  }

  @Override
  public JsonToken nextValue() throws IOException {
    JsonToken token = nextToken();
    return token == JsonToken.FIELD_NAME ? nextToken() : token;
  }

  @Override
  public JsonParser skipChildren() throws IOException {
    JsonToken token = currentToken();
    if (token != JsonToken.START_OBJECT && token != JsonToken.START_ARRAY) {
      return this;
    }
    int open = 1;
    while ((token = nextToken()) != null) {
      if (token.isStructStart()) {
        open++;
      } else if (token.isStructEnd() && --open == 0) {
        break;
      }
    }
    return this;
  }

  private void openObject() {
    if (depth == starts.length) {
      starts = Arrays.copyOf(starts, depth * 2);
    }
    starts[depth++] = size;
  }

  private void closeObject() {
    if (depth > 0) {
      depth--;
      size = starts[depth];
      if (sets != null && depth < sets.length) {
        sets[depth] = null;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void add(String name) throws JsonParseException {
    if (depth == 0) {
      return; // not in an object: the parser itself refuses this
    }
    int level = depth - 1;
    Set<String> set = sets == null || level >= sets.length ? null : (Set<String>) sets[level];
    if (set != null) {
      if (!set.add(name)) {
        throw duplicate(name);
      }
      return;
    }
    int start = starts[level];
    for (int i = start; i < size; i++) {
      if (names[i].equals(name)) {
        throw duplicate(name);
      }
    }
    if (size - start < SCAN_LIMIT) {
      if (size == names.length) {
        names = Arrays.copyOf(names, size * 2);
      }
      names[size++] = name;
      return;
    }
    set = new HashSet<>(Arrays.asList(names).subList(start, size));
    set.add(name);
    if (sets == null) {
      sets = new Set<?>[Math.max(starts.length, depth)];
    } else if (level >= sets.length) {
      sets = Arrays.copyOf(sets, Math.max(starts.length, depth));
    }
    sets[level] = set;
  }

  private JsonParseException duplicate(String name) {
    return new JsonParseException(delegate, "Duplicate field '" + name + "'");
  }
}
