package dev.hookwire.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code hookwire} command: keygen, sign, verify, listen, send. Run {@code
 * cli/target/hookwire help}.
 *
 * <p>Exit status: 0 success, 1 a check or a delivery failed, 2 bad arguments (the reason is
 * printed on error output). Secrets are never printed, but for the new ones keygen makes.
 */
public final class Main {
  static final List<Command> COMMANDS =
      List.of(
          new KeygenCommand(),
          new SignCommand(),
          new VerifyCommand(),
          new ListenCommand(),
          new SendCommand());

  private Main() {}

  /**
   * Runs the command and exits with its status.
   *
   * @param args the command line
   */
  public static void main(String[] args) {
    System.exit(run(args, Terminal.system()));
  }

  /**
   * Runs a command line with the given streams, an empty environment and the system clock.
   *
   * @return the exit status
   */
  static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    return run(args, Terminal.of(in, out, err, Map.of()));
  }

  /**
   * Runs a command line.
   *
   * @return the exit status
   */
  static int run(String[] args, Terminal terminal) {
    PrintStream out = terminal.out;
    PrintStream err = terminal.err;
    if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
      usage(out);
      return 0;
    }
    switch (args[0]) {
      case "help":
        return help(args, out, err);
      case "version":
        String version = Main.class.getPackage().getImplementationVersion();
        out.println("hookwire " + (version == null ? "(development build)" : version));
        return 0;
      case "schemes":
        schemes(out);
        return 0;
      default:
        break;
    }
    Command command = command(args[0]);
    if (command == null) {
      err.println("hookwire: unknown command \"" + args[0] + "\"");
      usage(err);
      return 2;
    }
    try {
      Args parsed = Args.parse(command.options(), Arrays.asList(args).subList(1, args.length));
      if (parsed.help()) {
        command.printHelp(out);
        return 0;
      }
      return command.run(parsed, terminal);
    } catch (UsageException e) {
      err.println("hookwire " + command.name() + ": " + e.getMessage());
      err.println("Run 'hookwire " + command.name() + " --help' for usage.");
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("hookwire " + command.name() + ": interrupted");
      return 1;
    } catch (Exception e) {
      // Messages of Hookwire's exceptions never hold a secret.
      err.println("hookwire " + command.name() + ": " + e);
      return 1;
    }
  }

  private static Command command(String name) {
    for (Command command : COMMANDS) {
      if (command.name().equals(name)) {
        return command;
      }
    }
    return null;
  }

  private static int help(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2) {
      usage(out);
      return 0;
    }
    Command command = command(args[1]);
    if (command == null) {
      err.println("hookwire help: unknown command \"" + args[1] + "\"");
      usage(err);
      return 2;
    }
    command.printHelp(out);
    return 0;
  }

  private static void schemes(PrintStream out) {
    for (Schemes.Info info : Schemes.ALL) {
      out.printf("%-17s %s%n", info.name(), info.headers());
      out.printf("%-17s keys: %s%n", "", info.keys());
    }
  }

  private static void usage(PrintStream out) {
    out.println("usage: hookwire <command> [options]");
    out.println();
    out.println("commands:");
    for (Command command : COMMANDS) {
      out.printf("  %-8s %s%n", command.name(), command.summary());
    }
    out.printf("  %-8s %s%n", "schemes", "list the signature schemes and their headers");
    out.printf("  %-8s %s%n", "version", "print the version");
    out.printf("  %-8s %s%n", "help", "print this text; 'help <command>' for a command's options");
    out.println();
    out.println("Exit status: 0 success, 1 a check or a delivery failed, 2 bad arguments.");
    out.println("Keep keys out of shell history: --secret-env NAME reads one from the environment.");
  }
}
