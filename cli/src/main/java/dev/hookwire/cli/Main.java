package dev.hookwire.cli;

import dev.hookwire.signature.SignatureScheme;
import java.io.PrintStream;
import java.util.List;

/**
 * The {@code hookwire} command. Run {@code java -jar cli/target/hookwire.jar help}.
 *
 * <p>Exit codes: 0 success, 1 a check failed, 2 bad arguments.
 */
public final class Main {
  static final List<String> SCHEMES =
      List.of(
          "standard", "standard-ed25519", "intelligems", "insightarc", "github", "shopify", "stripe");

  private Main() {}

  /**
   * Runs the command and exits with its status.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
      usage(out);
      return 0;
    }
    switch (args[0]) {
      case "version":
        String version = Main.class.getPackage().getImplementationVersion();
        out.println("hookwire " + (version == null ? "(development build)" : version));
        return 0;
      case "schemes":
        for (String name : SCHEMES) {
          out.println(name + "\t" + SignatureScheme.forName(name));
        }
        return 0;
      default:
        err.println("hookwire: unknown command \"" + args[0] + "\"");
        usage(err);
        return 2;
    }
  }

  private static void usage(PrintStream out) {
    out.println("usage: hookwire <command>");
    out.println();
    out.println("commands:");
    out.println("  schemes   list the signature schemes hookwire speaks");
    out.println("  version   print the version");
    out.println("  help      print this text");
  }
}
