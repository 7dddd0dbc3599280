package dev.hookwire.cli;

/**
 * The command line is wrong: an unknown option, a missing or malformed value. The command prints
 * the message and exits with status 2. Messages never hold a secret.
 */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}
