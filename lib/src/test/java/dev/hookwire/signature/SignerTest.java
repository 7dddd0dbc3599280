package dev.hookwire.signature;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The signer builder's own checks: keys too short to sign with fail where they are added. */
class SignerTest {
  static final Instant ANY_TIME = Instant.ofEpochSecond(1_700_000_000L);

  static String whsec(int bytes) {
    return "whsec_" + Base64.getEncoder().encodeToString(new byte[bytes]);
  }

  @Test
  void theMinimumIs16Bytes() {
    assertThat(Signer.MIN_HMAC_KEY_BYTES).isEqualTo(16);
  }

  @Test
  void oneByteStandardSecret_isRefusedAtKey_namingIndexAndLengthOnly() {
    Signer.Builder builder = Signer.builder(SignatureScheme.standardWebhooks());

    assertThatThrownBy(() -> builder.key("whsec_AA=="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key #0 decodes to 1 byte,")
        .hasMessageContaining("at least 16 bytes")
        .hasMessageContaining("Secrets.newStandardSecret()")
        .message()
        .doesNotContain("AA==");
    assertThatThrownBy(builder::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no key");
  }

  @Test
  void oneCharacterTextSecret_isRefused() {
    assertThatThrownBy(() -> SignatureScheme.github().signer("x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key #0 is 1 byte long,")
        .hasMessageContaining("at least 16 bytes")
        .hasMessageContaining("Secrets.newTextSecret()")
        .message()
        .doesNotContain("\"x\"", "'x'");
  }

  @Test
  void shortKeyAfterGoodOnes_isNamedByItsIndex_neverByItsText() {
    assertThatThrownBy(
            () -> SignatureScheme.stripe().signer(Secrets.newTextSecret(), Secrets.newTextSecret(), "hunter2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key #2 is 7 bytes long")
        .message()
        .doesNotContain("hunter2");
  }

  @Test
  void fifteenBytesAreRefused_sixteenAccepted() {
    SignatureScheme github = SignatureScheme.github();
    assertThatThrownBy(() -> github.signer("0123456789abcde"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key #0 is 15 bytes long");
    assertThat(github.signer("0123456789abcdef").sign("msg_1", ANY_TIME, new byte[0])).hasSize(1);

    assertThatThrownBy(() -> SignatureScheme.standardWebhooks().signer(whsec(15)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key #0 decodes to 15 bytes");
    assertThat(SignatureScheme.standardWebhooks().signer(whsec(16)).sign("msg_1", ANY_TIME, new byte[0]))
        .containsKey("webhook-signature");

    assertThatThrownBy(() -> Signer.builder(SignatureScheme.shopify()).key(new byte[15]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key #0 is 15 bytes long");
    assertThat(Signer.builder(SignatureScheme.shopify()).key(new byte[16]).build()).isNotNull();
  }

  @Test
  void textSecrets_countTheirUtf8Bytes() {
    String eightChars = "éééééééé";
    assertThat(eightChars.getBytes(UTF_8)).hasSize(16);

    assertThat(SignatureScheme.intelligems().signer(eightChars)).isNotNull();
  }

  @Test
  void ed25519Keys_areNotConcerned() {
    Ed25519KeyPair pair = Secrets.newEd25519KeyPair();

    assertThat(SignatureScheme.standardWebhooksEd25519().signer(pair.secretKey())).isNotNull();
    assertThatThrownBy(() -> Signer.builder(SignatureScheme.standardWebhooksEd25519()).key(new byte[1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not take raw key bytes");
  }
}
