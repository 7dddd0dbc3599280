package dev.hookwire.dispatch;

/**
 * A payload template's source cannot be used: it is not one JSON value, is too long, or has a
 * placeholder that is not closed, empty, or not an expression a template knows.
 *
 * <p>The message names the problem and its position ({@code payload template: unknown
 * placeholder root "evnt" in {{evnt.id}} at line 3, column 14; ...}); {@link #line()} and {@link
 * #column()} give the position alone, for an editor to point at. A JSON parser's exception, if
 * one found the problem, is kept as the cause. Immutable and thread-safe.
 *
 * @see PayloadTemplate#parse(String)
 */
public final class PayloadTemplateException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** The line of the problem, from 1. */
  private final int line;

  /** The column of the problem, from 1. */
  private final int column;

  PayloadTemplateException(String problem, int line, int column, Throwable cause) {
    super("payload template: " + problem + " at line " + line + ", column " + column, cause);
    this.line = line;
    this.column = column;
  }

  PayloadTemplateException(String problem, String hint, int line, int column, Throwable cause) {
    super(
        "payload template: " + problem + " at line " + line + ", column " + column + "; " + hint,
        cause);
    this.line = line;
    this.column = column;
  }

  /**
   * Returns the line of the problem in the source, counting from 1; a line ends at {@code \n},
   * {@code \r\n} or {@code \r}.
   *
   * @return the line
   */
  public int line() {
    return line;
  }

  /**
   * Returns the column of the problem in its line, counting from 1, in UTF-16 characters of the
   * source as given (a JSON escape such as {@code \u00e9} counts as the six characters it is
   * written with).
   *
   * @return the column
   */
  public int column() {
    return column;
  }
}
