package dev.hookwire.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.examples.readme.ReadmeSnippets.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReadmeSnippetsTest {
  private static final Path ROOT = ReadmeSnippets.repositoryRoot();
  private static final String WALKTHROUGH = "examples/src/main/java/dev/hookwire/examples/readme/Walkthrough.java";

  @Test
  void everyJavaBlockOfTheReadme_isItsSourceWordForWord() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Report report = ReadmeSnippets.check(readme, ReadmeSnippets.filesUnder(ROOT));

    if (!report.problems().isEmpty()) {
      Path fixed = ROOT.resolve("examples/target/README.md");
      Files.createDirectories(fixed.getParent());
      Files.writeString(fixed, report.expectedReadme());
      assertThat(report.problems())
          .as("README.md's Java blocks must be their sources' tagged regions. Change the source"
              + " (it is compiled and run), or take the sources' version of every block with:"
              + " cp " + fixed + " " + ROOT.resolve("README.md"))
          .isEmpty();
    }
    assertThat(report.blocks()).as("Java blocks checked").isGreaterThanOrEqualTo(8);
    assertThat(report.expectedReadme()).isEqualTo(readme);
  }

  @Test
  void aBlockThatDriftsFromItsSource_isReported_withTheLineAndBothVersions() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String drifted = readme.replace(".subscribe(\"experience.*\")  ", ".subscribe(\"experience.started\")  ");
    assertThat(drifted).isNotEqualTo(readme);

    Report report = ReadmeSnippets.check(drifted, ReadmeSnippets.filesUnder(ROOT));

    assertThat(report.problems()).singleElement().satisfies(p -> {
      assertThat(p.toString())
          .contains("differs from " + WALKTHROUGH + "#sending")
          .contains("README:     .subscribe(\"experience.started\")")
          .contains("source:     .subscribe(\"experience.*\")");
      assertThat(drifted.split("\n")[p.line() - 1]).contains("experience.started");
    });
    assertThat(report.expectedReadme()).isEqualTo(readme);
  }

  @Test
  void aSourceThatDrifts_isReportedToo() {
    String readme = String.join("\n",
        "# Title", "", "<!-- snippet A.java#x -->", "```java", "int a = 1;", "```", "");
    Map<String, String> files = Map.of("A.java", "class A {\n  void m() {\n    // tag::x[]\n    int a = 2;\n    // end::x[]\n  }\n}\n");

    Report report = ReadmeSnippets.check(readme, of(files));

    assertThat(report.problems()).extracting(Object::toString)
        .containsExactly("README.md line 5: differs from A.java#x\n  README: int a = 1;\n  source: int a = 2;");
    assertThat(report.expectedReadme()).contains("```java\nint a = 2;\n```");
  }

  @Test
  void aJavaBlockWithoutASource_andAMissingTagOrFile_areReported() {
    String readme = String.join("\n",
        "```java", "x();", "```",
        "<!-- snippet A.java#nope -->", "```java", "y();", "```",
        "<!-- snippet Missing.java#x -->", "```java", "z();", "```",
        "<!-- snippet A.java#x -->", "", "Prose between the marker and the block.", "```java", "w();", "```",
        "```sh", "not java, not checked", "```");
    Map<String, String> files = Map.of("A.java", "// tag::x[]\nw();\n// end::x[]\n");

    Report report = ReadmeSnippets.check(readme, of(files));

    assertThat(report.problems()).extracting(Object::toString).containsExactly(
        "README.md line 1: a Java block without a \"<!-- snippet PATH#TAG -->\" line before it; keep the code in a source file the build compiles, between // tag::TAG[] and // end::TAG[]",
        "README.md line 4: A.java has no region tagged nope",
        "README.md line 8: no such source file: Missing.java",
        "README.md line 15: a Java block without a \"<!-- snippet PATH#TAG -->\" line before it; keep the code in a source file the build compiles, between // tag::TAG[] and // end::TAG[]");
    assertThat(report.blocks()).isEqualTo(4);
  }

  @Test
  void regions_loseTheirCommonIndent_skipOtherTags_andJoinWithOneBlankLine() {
    String source = String.join("\n",
        "// tag::a[]", "import x.Y;", "// end::a[]",
        "class C {", "  void m() {",
        "    // tag::a[]", "    if (ok) {", "      go();", "    // tag::b[]", "    }", "    // end::b[]", "    // end::a[]",
        "  }", "}");

    assertThat(ReadmeSnippets.region(source, "a"))
        .containsExactly("import x.Y;", "", "if (ok) {", "  go();", "}");
    assertThat(ReadmeSnippets.region(source, "b")).containsExactly("}");
    assertThat(ReadmeSnippets.region(source, "c")).isEmpty();
  }

  @Test
  void anUnclosedRegion_isReportedWithItsTag() {
    String readme = "<!-- snippet A.java#x -->\n```java\nq();\n```\n";
    Report report = ReadmeSnippets.check(readme, of(Map.of("A.java", "// tag::x[]\nq();\n")));

    assertThat(report.problems()).extracting(Object::toString)
        .containsExactly("README.md line 1: A.java: tag::x[] is never closed");
  }

  private static Function<String, Optional<String>> of(Map<String, String> files) {
    return path -> Optional.ofNullable(files.get(path));
  }

  @Test
  void theSnippetMarkers_nameFilesTheBuildCompiles() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"));
    Map<String, Long> byFile = readme.lines()
        .map(ReadmeSnippets.MARKER::matcher)
        .filter(java.util.regex.Matcher::matches)
        .collect(Collectors.groupingBy(m -> m.group(1), Collectors.counting()));

    assertThat(byFile.keySet()).allSatisfy(path ->
        assertThat(path).matches("(examples|portal|integrations/[^/]+)/src/(main|test)/java/.+\\.java"));
  }
}
