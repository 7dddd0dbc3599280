package dev.hookwire.portal;

/** A refusal that becomes an error response: status, a machine code and a message for people. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  final int status;
  final String code;
  final transient Integer line;
  final transient Integer column;

  HttpError(int status, String code, String message) {
    this(status, code, message, null, null);
  }

  HttpError(int status, String code, String message, Integer line, Integer column) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.line = line;
    this.column = column;
  }

  static HttpError invalid(String message) {
    return new HttpError(400, "invalid", message);
  }

  static HttpError notFound(String what) {
    return new HttpError(404, "not_found", what + " not found");
  }
}
