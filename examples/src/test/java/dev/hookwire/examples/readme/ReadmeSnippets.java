package dev.hookwire.examples.readme;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Holds the README's Java blocks to their sources. Every {@code ```java} block must follow a
 * marker line {@code <!-- snippet PATH#TAG -->}, and hold exactly the lines of {@code PATH} (from
 * the repository root) between {@code // tag::TAG[]} and {@code // end::TAG[]}: each such region
 * with its common indent removed, several regions joined by one blank line. Not thread-safe.
 */
final class ReadmeSnippets {
  static final Pattern MARKER = Pattern.compile("^<!-- snippet (\\S+)#(\\S+) -->$");
  private static final Pattern TAG = Pattern.compile("^\\s*// (tag|end)::(\\S+)\\[]\\s*$");

  /** One README block that does not match its source, or cannot be checked. */
  record Problem(int line, String message) {
    @Override
    public String toString() {
      return "README.md line " + line + ": " + message;
    }
  }

  /** What checking found, and the README as its sources would have it. */
  record Report(List<Problem> problems, String expectedReadme, int blocks) {}

  private ReadmeSnippets() {}

  /**
   * Checks a README's text against sources read through {@code sources}.
   *
   * @param readme the README's text
   * @param sources a path from the repository root to the file's text, or empty if none
   */
  static Report check(String readme, Function<String, Optional<String>> sources) {
    List<String> lines = List.of(readme.split("\n", -1));
    List<Problem> problems = new ArrayList<>();
    List<String> expected = new ArrayList<>();
    int blocks = 0;
    String marker = null;
    int markerLine = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      expected.add(line);
      if (MARKER.matcher(line).matches()) {
        marker = line;
        markerLine = i + 1;
        continue;
      }
      if (!line.startsWith("```")) {
        if (!line.isBlank()) {
          marker = null;
        }
        continue;
      }
      int end = i + 1;
      while (end < lines.size() && !lines.get(end).startsWith("```")) {
        end++;
      }
      List<String> block = lines.subList(i + 1, Math.min(end, lines.size()));
      boolean java = line.strip().equals("```java");
      if (java) {
        blocks++;
        Optional<List<String>> source = source(marker, markerLine, i + 1, sources, problems);
        if (source.isPresent()) {
          compare(block, source.get(), i + 2, marker, problems);
          expected.addAll(source.get());
        } else {
          expected.addAll(block);
        }
      } else {
        expected.addAll(block);
      }
      if (end < lines.size()) {
        expected.add(lines.get(end));
      }
      i = end;
      marker = null;
    }
    return new Report(List.copyOf(problems), String.join("\n", expected), blocks);
  }

  private static Optional<List<String>> source(
      String marker, int markerLine, int fenceLine, Function<String, Optional<String>> sources, List<Problem> problems) {
    if (marker == null) {
      problems.add(new Problem(fenceLine,
          "a Java block without a \"<!-- snippet PATH#TAG -->\" line before it; keep the code in a"
              + " source file the build compiles, between // tag::TAG[] and // end::TAG[]"));
      return Optional.empty();
    }
    Matcher m = MARKER.matcher(marker);
    m.matches();
    String path = m.group(1);
    String tag = m.group(2);
    Optional<String> text = sources.apply(path);
    if (text.isEmpty()) {
      problems.add(new Problem(markerLine, "no such source file: " + path));
      return Optional.empty();
    }
    try {
      List<String> region = region(text.get(), tag);
      if (region.isEmpty()) {
        problems.add(new Problem(markerLine, path + " has no region tagged " + tag));
        return Optional.empty();
      }
      return Optional.of(region);
    } catch (IllegalArgumentException e) {
      problems.add(new Problem(markerLine, path + ": " + e.getMessage()));
      return Optional.empty();
    }
  }

  /**
   * The lines of a source's regions tagged {@code tag}, each region without its common indent,
   * regions joined by one blank line; other tags' marker lines inside are left out.
   *
   * @throws IllegalArgumentException if a region of the tag is not closed, or closed unopened
   */
  static List<String> region(String source, String tag) {
    List<String> out = new ArrayList<>();
    List<String> current = null;
    int number = 0;
    for (String line : source.split("\n", -1)) {
      number++;
      Matcher m = TAG.matcher(line);
      if (m.matches()) {
        if (!m.group(2).equals(tag)) {
          continue;
        }
        if (m.group(1).equals("tag")) {
          if (current != null) {
            throw new IllegalArgumentException("line " + number + ": tag::" + tag + "[] opened twice");
          }
          current = new ArrayList<>();
        } else {
          if (current == null) {
            throw new IllegalArgumentException("line " + number + ": end::" + tag + "[] without tag::" + tag + "[]");
          }
          if (!out.isEmpty()) {
            out.add("");
          }
          out.addAll(dedent(current));
          current = null;
        }
      } else if (current != null) {
        current.add(line);
      }
    }
    if (current != null) {
      throw new IllegalArgumentException("tag::" + tag + "[] is never closed");
    }
    return out;
  }

  private static List<String> dedent(List<String> lines) {
    int indent = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        indent = Math.min(indent, line.length() - line.stripLeading().length());
      }
    }
    List<String> out = new ArrayList<>();
    for (String line : lines) {
      out.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
    }
    return out;
  }

  private static void compare(List<String> block, List<String> source, int firstLine, String marker, List<Problem> problems) {
    int n = Math.max(block.size(), source.size());
    for (int k = 0; k < n; k++) {
      String shown = k < block.size() ? block.get(k) : null;
      String real = k < source.size() ? source.get(k) : null;
      if (shown == null || !shown.equals(real)) {
        problems.add(new Problem(firstLine + k,
            "differs from " + marker.substring("<!-- snippet ".length(), marker.length() - " -->".length())
                + "\n  README: " + (shown == null ? "(block ends)" : shown)
                + "\n  source: " + (real == null ? "(region ends)" : real)));
        return;
      }
    }
  }

  /** Reads a file of the repository, if it exists. */
  static Function<String, Optional<String>> filesUnder(Path root) {
    return path -> {
      Path file = root.resolve(path).normalize();
      if (!file.startsWith(root) || !Files.isRegularFile(file)) {
        return Optional.empty();
      }
      try {
        return Optional.of(Files.readString(file));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /** The repository's root: the nearest directory up from here that holds README.md and examples/. */
  static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("examples"))) {
        return dir;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException("no README.md with an examples/ folder above " + Path.of("").toAbsolutePath());
  }
}
