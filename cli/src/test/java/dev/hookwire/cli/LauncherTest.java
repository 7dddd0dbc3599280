package dev.hookwire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the launcher the build writes next to the jar, {@code cli/target/hookwire}, through
 * symlinks and from another directory, as a user who linked it into their PATH would.
 *
 * <p>The tests run before the jar is packaged, so each installs the launcher in a directory of its
 * own next to a {@code hookwire.jar} that runs this build's classes.
 */
class LauncherTest {
  @TempDir Path dir;
  private Path install;
  private Path elsewhere;

  @BeforeEach
  void install() throws Exception {
    assumeThat(Files.isExecutable(Path.of("/bin/sh"))).as("/bin/sh runs the launcher").isTrue();
    Path built =
        Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .resolveSibling("hookwire");
    assertThat(built).as("the build writes the launcher").isRegularFile();
    assertThat(Files.isExecutable(built)).as("the launcher is executable").isTrue();
    install = Files.createDirectories(dir.resolve("install"));
    Files.copy(built, install.resolve("hookwire"), StandardCopyOption.COPY_ATTRIBUTES);
    elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
  }

  @Test
  void runsTheJarNextToItThroughSymlinksFromAnotherDirectory() throws Exception {
    writeJarOfThisBuild(install.resolve("hookwire.jar"));
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path links = Files.createDirectories(dir.resolve("links"));
    // A relative link to an absolute one, as ln -s "$PWD/cli/target/hookwire" ~/.local/bin does.
    Files.createSymbolicLink(links.resolve("hookwire"), install.resolve("hookwire"));
    Path onPath = Files.createSymbolicLink(bin.resolve("hookwire"), Path.of("../links/hookwire"));

    ChildProcess version =
        run(elsewhere, Map.of("JAVA_HOME", System.getProperty("java.home")), onPath, "version");

    assertThat(version.exit()).as(version.err()).isZero();
    assertThat(version.out()).isEqualTo("hookwire (development build)\n");

    ChildProcess usage = run(bin, Map.of(), Path.of("./hookwire"));
    assertThat(usage.exit()).as(usage.err()).isZero();
    assertThat(usage.out()).startsWith("usage: hookwire <command> [options]\n");
  }

  @Test
  void runsJavaFromJavaHome_withTheResolvedJarAndEveryArgumentIntact() throws Exception {
    Files.createFile(install.resolve("hookwire.jar"));
    Path javaHome = Files.createDirectories(dir.resolve("jdk").resolve("bin")).getParent();
    Path java =
        Files.writeString(
            javaHome.resolve("bin").resolve("java"), "#!/bin/sh\nprintf '%s\\n' \"$@\"\n");
    assertThat(java.toFile().setExecutable(true)).isTrue();
    Path link = Files.createSymbolicLink(dir.resolve("hookwire"), install.resolve("hookwire"));

    ChildProcess run =
        run(elsewhere, Map.of("JAVA_HOME", javaHome.toString()), link, "sign", "a b", "", "$HOME");

    assertThat(run.exit()).as(run.err()).isZero();
    String jar = install.toRealPath().resolve("hookwire.jar").toString();
    assertThat(run.out().split("\n", -1))
        .containsExactly("-jar", jar, "sign", "a b", "", "$HOME", "");
  }

  @Test
  void saysWhereTheJarShouldBeWhenItIsMissing() throws Exception {
    ChildProcess run = run(elsewhere, Map.of(), install.resolve("hookwire"), "version");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("hookwire: " + install.toRealPath().resolve("hookwire.jar") + " is missing")
        .contains("mvn -B -q -pl cli -am package -DskipTests");
  }

  /** A jar that runs {@link Main} from this build's class path, as the packaged jar does. */
  private static void writeJarOfThisBuild(Path jar) throws IOException {
    List<String> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toString());
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, Main.class.getName());
    manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", urls));
    try (OutputStream out = Files.newOutputStream(jar)) {
      new JarOutputStream(out, manifest).finish(); // the manifest is the whole jar
    }
  }

  private static ChildProcess run(
      Path workingDirectory, Map<String, String> env, Path launcher, String... args)
      throws Exception {
    List<String> command = new ArrayList<>();
    command.add(launcher.toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile());
    builder.environment().remove("JAVA_HOME");
    builder.environment().putAll(env);
    return ChildProcess.run(builder, "");
  }
}
