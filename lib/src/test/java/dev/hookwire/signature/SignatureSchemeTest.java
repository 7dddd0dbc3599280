package dev.hookwire.signature;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SignatureSchemeTest {

  @Test
  void forName_findsEveryBuiltInScheme_inAnyCase() {
    List<SignatureScheme> all =
        List.of(
            SignatureScheme.standardWebhooks(),
            SignatureScheme.standardWebhooksEd25519(),
            SignatureScheme.stripe(),
            SignatureScheme.intelligems(),
            SignatureScheme.insightarc(),
            SignatureScheme.github(),
            SignatureScheme.shopify());
    for (SignatureScheme scheme : all) {
      assertThat(SignatureScheme.forName(scheme.name())).isSameAs(scheme);
      assertThat(SignatureScheme.forName(scheme.name().toUpperCase())).isSameAs(scheme);
      assertThat(scheme.toString()).contains(scheme.name());
    }
    assertThat(all).extracting(SignatureScheme::name)
        .containsExactly("standard", "standard-ed25519", "stripe", "intelligems", "insightarc", "github", "shopify");
  }

  @Test
  void forName_unknown_listsTheKnownOnes() {
    assertThatThrownBy(() -> SignatureScheme.forName("svix"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"svix\"")
        .hasMessageContaining("standard, standard-ed25519, stripe");
  }
}
