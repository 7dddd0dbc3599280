package dev.hookwire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgsTest {
  private static final Option A = Option.value("--a", "X", "a");
  private static final Option MANY = Option.value("--many", "X", "many").alias("-M").repeated();
  private static final Option OTHER = Option.value("--other", "X", "other").repeated();
  private static final Option FLAG = Option.flag("--flag", "flag");
  private static final List<Option> OPTIONS = List.of(A, MANY, OTHER, FLAG);

  @Test
  void readsSeparateAndAttachedValuesAliasesAndFlags() throws Exception {
    Args args =
        Args.parse(OPTIONS, List.of("--a=x=y", "-M", "1", "--other", "2", "--many", "3", "--flag"));

    assertThat(args.help()).isFalse();
    assertThat(args.value("--a")).contains("x=y");
    assertThat(args.values("--many")).containsExactly("1", "3");
    assertThat(args.values(Set.of("--many", "--other")))
        .containsExactly(Map.entry("--many", "1"), Map.entry("--other", "2"), Map.entry("--many", "3"));
    assertThat(args.has("--flag")).isTrue();
    assertThat(args.has("--other")).isTrue();
  }

  @Test
  void aValueMayStartWithADashUnlessItIsAnOption() throws Exception {
    assertThat(Args.parse(OPTIONS, List.of("--a", "-1")).value("--a")).contains("-1");
    assertThat(Args.parse(OPTIONS, List.of("--a", "")).value("--a")).contains("");
  }

  @Test
  void helpWinsOverTheOtherArguments() throws Exception {
    assertThat(Args.parse(OPTIONS, List.of("--a", "1", "--help")).help()).isTrue();
    assertThat(Args.parse(OPTIONS, List.of("-h")).help()).isTrue();
    assertThat(Args.parse(OPTIONS, List.of("--flag")).help()).isFalse();
  }
}
