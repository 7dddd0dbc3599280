package dev.hookwire.examples.readme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.io.ByteArrayOutputStream;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the README's "On the module path" section says: an application module that requires
 * {@code dev.hookwire} and opens its data package to Jackson encodes and decodes its own records;
 * without the {@code opens}, encoding fails with a message that names the package and Jackson.
 */
class ModulePathTest {
  private static final String DATA = "package my.model;\npublic record Order(String id, int total) {}\n";
  private static final String MAIN = String.join("\n",
      "package my.app;",
      "import dev.hookwire.event.EventCodec;",
      "import dev.hookwire.event.WebhookEvent;",
      "import my.model.Order;",
      "public final class Main {",
      "  public static String roundTrip() {",
      "    EventCodec codec = EventCodec.ofDefaults();",
      "    byte[] body = codec.encode(WebhookEvent.create(\"order.paid\", new Order(\"o_1\", 42)));",
      "    return codec.decode(body, Order.class).data().toString();",
      "  }",
      "}",
      "");

  @TempDir Path dir;

  @Test
  void anApplicationModule_thatOpensItsDataPackageToJackson_readsAndWritesItsRecords() throws Exception {
    Path module = compile("module my.app {\n  requires dev.hookwire;\n  opens my.model to com.fasterxml.jackson.databind;\n}\n");

    assertThat(roundTrip(module)).isEqualTo("Order[id=o_1, total=42]");
  }

  @Test
  void withoutTheOpens_encodingFails_namingThePackageAndJackson() throws Exception {
    Path module = compile("module my.app {\n  requires dev.hookwire;\n}\n");

    assertThatThrownBy(() -> roundTrip(module))
        .isInstanceOf(InvocationTargetException.class)
        .extracting(Throwable::getCause)
        .satisfies(e -> assertThat(e.getClass().getName()).isEqualTo("dev.hookwire.event.EventFormatException"))
        .satisfies(e -> assertThat(e.getMessage())
            .contains("my.model.Order")
            .contains("\"exports my.model\" to module com.fasterxml.jackson.databind"));
  }

  /** Hookwire and its runtime dependencies, as they are on this test's class path. */
  private static List<Path> hookwireModulePath() {
    List<Path> path = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      Path p = Path.of(entry);
      String name = p.getFileName().toString();
      boolean hookwire = Files.isRegularFile(p.resolve("module-info.class")) && p.toString().contains("lib")
          || name.matches("hookwire-\\d.*\\.jar");
      if (hookwire || name.matches("(jackson-(core|databind|annotations)|okhttp-jvm|okio-jvm|kotlin-stdlib|slf4j-api)-\\d.*\\.jar")) {
        path.add(p);
      }
    }
    assertThat(path).as("hookwire and its dependencies on the class path").hasSizeGreaterThanOrEqualTo(7);
    return path;
  }

  private Path compile(String moduleInfo) throws IOException {
    Path src = dir.resolve("src");
    Path out = dir.resolve("out");
    write(src.resolve("module-info.java"), moduleInfo);
    write(src.resolve("my/model/Order.java"), DATA);
    write(src.resolve("my/app/Main.java"), MAIN);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of(
        "-d", out.toString(),
        "--module-path", String.join(File.pathSeparator, hookwireModulePath().stream().map(Path::toString).toList())));
    try (var files = Files.walk(src)) {
      files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
    }
    int status = javac.run(null, errors, errors, args.toArray(String[]::new));
    assertThat(status).as("javac %s", errors).isZero();
    return out;
  }

  private static String roundTrip(Path module) throws Exception {
    List<Path> paths = new ArrayList<>(hookwireModulePath());
    paths.add(module);
    ModuleFinder finder = ModuleFinder.of(paths.toArray(Path[]::new));
    ModuleLayer boot = ModuleLayer.boot();
    Configuration configuration = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of("my.app"));
    ModuleLayer.Controller controller = ModuleLayer.defineModulesWithOneLoader(
        configuration, List.of(boot), ClassLoader.getSystemClassLoader().getParent());
    Module app = controller.layer().findModule("my.app").orElseThrow();
    // Only so that this test can call in; the module itself exports nothing.
    controller.addExports(app, "my.app", ModulePathTest.class.getModule());
    Method roundTrip = app.getClassLoader().loadClass("my.app.Main").getMethod("roundTrip");
    return (String) roundTrip.invoke(null);
  }

  private static void write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }
}
