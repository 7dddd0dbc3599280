package dev.hookwire.cli;

import java.io.PrintStream;
import java.util.List;

/** One {@code hookwire} command: its options, its help, and what it does. */
interface Command {

  /** The name typed after {@code hookwire}. */
  String name();

  /** One line for the list of commands. */
  String summary();

  /** The usage line, after {@code usage: hookwire}. */
  String usage();

  /** What the command does, in a few lines of help. */
  String description();

  /** The options it takes, {@code --help} aside. */
  List<Option> options();

  /**
   * Runs the command.
   *
   * @param args the parsed options
   * @param terminal where to read and write
   * @return the exit status: 0 success, 1 a check or delivery failed
   * @throws UsageException if an option's value is wrong; the caller exits with status 2
   * @throws Exception if something else fails; the caller reports it and exits with status 1
   */
  int run(Args args, Terminal terminal) throws Exception;

  /** Prints the command's help. */
  default void printHelp(PrintStream out) {
    out.println("usage: hookwire " + name() + " " + usage());
    out.println();
    out.println(description());
    out.println();
    out.println("options:");
    int width = "-h, --help".length();
    for (Option option : options()) {
      width = Math.max(width, option.synopsis().length());
    }
    for (Option option : options()) {
      out.printf("  %-" + width + "s  %s%n", option.synopsis(), option.help());
    }
    out.printf("  %-" + width + "s  %s%n", "-h, --help", "print this help");
  }
}
