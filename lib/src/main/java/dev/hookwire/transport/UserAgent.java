package dev.hookwire.transport;

import dev.hookwire.internal.HeaderRules;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.util.Objects;
import java.util.Optional;
import java.util.jar.Manifest;

/** The default {@code User-Agent}, {@code Hookwire/<version>}, and the check for custom ones. */
final class UserAgent {
  /** Used when no version can be read: classes run from a build directory, for instance. */
  static final String FALLBACK_VERSION = "0.1.0-SNAPSHOT";

  private static final String DEFAULT = "Hookwire/" + version();

  private UserAgent() {}

  static String defaultValue() {
    return DEFAULT;
  }

  /** Checks a user-supplied value: the rules of every header value, and not blank. */
  static String check(String userAgent) {
    Objects.requireNonNull(userAgent, "userAgent == null");
    if (userAgent.isBlank()) {
      throw new IllegalArgumentException("userAgent is blank");
    }
    return HeaderRules.checkValue("User-Agent", userAgent);
  }

  /**
   * Reads the library's version: on the class path from the jar manifest's {@code
   * Implementation-Version} (through {@link Package}); as a named module from the module
   * version, else from the module's own manifest, which {@link Package} does not expose there.
   */
  static String version() {
    String version = UserAgent.class.getPackage().getImplementationVersion();
    if (version != null && !version.isBlank()) {
      return version;
    }
    Module module = UserAgent.class.getModule();
    if (module.isNamed()) {
      Optional<String> moduleVersion =
          Optional.ofNullable(module.getDescriptor()).flatMap(ModuleDescriptor::rawVersion);
      if (moduleVersion.isPresent()) {
        return moduleVersion.get();
      }
      try (InputStream in = module.getResourceAsStream("META-INF/MANIFEST.MF")) {
        if (in != null) {
          String fromManifest =
              new Manifest(in).getMainAttributes().getValue("Implementation-Version");
          if (fromManifest != null && !fromManifest.isBlank()) {
            return fromManifest.trim();
          }
        }
      } catch (IOException | RuntimeException e) {
        // An unreadable manifest is no reason to fail; the fallback names the line at least.
      }
    }
    return FALLBACK_VERSION;
  }
}
