package dev.hookwire.cli;

import java.util.List;

/**
 * {@code hookwire keygen}: prints a new key for a scheme on standard output, and nothing else
 * there, so that {@code $(hookwire keygen --scheme standard)} is the key.
 */
final class KeygenCommand implements Command {

  @Override
  public String name() {
    return "keygen";
  }

  @Override
  public String summary() {
    return "print a new key for a scheme";
  }

  @Override
  public String usage() {
    return "--scheme S";
  }

  @Override
  public String description() {
    return "Prints a new random key for the scheme on standard output, one line, and nothing else\n"
        + "there: whsec_... for standard, 64 hex digits for the HMAC schemes that take the\n"
        + "secret's text. For standard-ed25519, two lines: the whsk_ key that signs (keep it\n"
        + "secret), then the whpk_ key that verifies (give it to receivers); what each line is\n"
        + "goes to error output. Give the sender and its receivers the same key, except for\n"
        + "standard-ed25519.";
  }

  @Override
  public List<Option> options() {
    return List.of(Schemes.SCHEME);
  }

  @Override
  public int run(Args args, Terminal terminal) throws UsageException {
    Schemes.Info info = Schemes.scheme(args);
    List<String> keys = info.keyKind().generate();
    if (info.keyKind() == Schemes.KeyKind.ED25519_PAIR) {
      terminal.err.println(
          "line 1: the whsk_ key that signs, keep it secret; line 2: the whpk_ key that verifies");
    }
    keys.forEach(terminal.out::println);
    return 0;
  }
}
