package dev.hookwire.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.event.EventCodec;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.signature.SignatureScheme;
import dev.hookwire.signature.Secrets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointTest {
  final String secret = Secrets.newStandardSecret();

  @Test
  void builderRejectsBadSettingsAtTheSetter() {
    assertThatThrownBy(() -> Endpoint.builder("ftp://x.example/")).hasMessageContaining("http or https");
    assertThatThrownBy(() -> Endpoint.builder("/relative")).hasMessageContaining("absolute");
    assertThatThrownBy(() -> Endpoint.builder("https://user:pw@x.example/")).hasMessageContaining("credentials");
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/").method("PATCH")).hasMessageContaining("POST, PUT or DELETE");
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/").subscribe("experience..x")).hasMessageContaining("dot-separated");
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/").signing(SignatureScheme.standardWebhooks(), "whsec_%%"))
        .hasMessageContaining("key #0");
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/").header("Bad Name", "v")).hasMessageContaining("header name");
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/").header("X", "a\r\nb")).hasMessageContaining("index 1");
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/").timeout(Duration.ZERO)).hasMessageContaining("timeout");
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/").rotateSecret(secret, Instant.now()))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void shortSecrets_areRefusedAtSigningAndRotation_notAtSendTime() {
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/").signing(SignatureScheme.github(), "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key #0 is 1 byte long");
    Endpoint.Builder builder =
        Endpoint.builder("https://x.example/").signing(SignatureScheme.standardWebhooks(), secret);
    assertThatThrownBy(() -> builder.rotateSecret("whsec_AA==", Instant.now()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key #0 decodes to 1 byte")
        .hasMessageNotContaining("AA==");
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1:99999/", "http://127.0.0.1:0/", "http://127.0.0.1:65536/",
      "http://127.0.0.1:99999999999999999999/"})
  void portsOutOfRange_areRefusedAtTheBuilder(String url) {
    assertThatThrownBy(() -> Endpoint.builder(url))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("65535");
    assertThat(Endpoint.builder("http://127.0.0.1:65535/").build().uri().getPort()).isEqualTo(65535);
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://u:password@example.com/", "https://u:password@example.com/",
      "https://u:password@example.com:99999/", "https://u:password@exa mple.com/", "https://u:password@/x",
      "https://u:password@example.com/#frag"})
  void credentialsInAUrl_areNeverEchoed(String url) {
    assertThatThrownBy(() -> Endpoint.builder(url))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("password").contains("url \"", "://"));
    java.net.URI uri = java.net.URI.create("https://u:password@example.com/");
    assertThatThrownBy(() -> new dev.hookwire.transport.TransportRequest("POST", uri, Map.of(), new byte[0], Duration.ofSeconds(1)))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("password"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Host", "content-length", "Transfer-Encoding", "Connection", "content-type", "CONTENT-TYPE"})
  void headersTheClientOrHookwireWrites_areRefusedAtTheSetter(String name) {
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/").header(name, "v"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("header " + name)
        .hasMessageContaining("cannot be set");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Webhook-Id", "WEBHOOK-SIGNATURE", "webhook-timestamp"})
  void theSchemesHeaders_areRefusedAtBuild(String name) {
    Endpoint.Builder b =
        Endpoint.builder("https://x.example/").signing(SignatureScheme.standardWebhooks(), secret).header(name, "v");
    assertThatThrownBy(b::build)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("header " + name)
        .hasMessageContaining("standard");
    // Unsigned, the same names are the host's own.
    assertThat(Endpoint.builder("https://x.example/").header(name, "v").build().headers()).containsKey(name);
  }

  @Test
  void otherSchemesHeaders_andTheAuthenticationHeader_areRefusedAtBuild() {
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/")
            .signing(SignatureScheme.github(), "a-github-secret-of-some-length").header("x-hub-signature-256", "v").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("x-hub-signature-256");
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/")
            .authentication(Authentication.bearer("t0ken")).header("authorization", "Bearer other").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("authentication(...)")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("t0ken"));
    assertThatThrownBy(() -> Authentication.apiKey("Content-Type", "k")).hasMessageContaining("Content-Type");
  }

  @Test
  void aShortKeyStoredByAnEarlierVersion_stillSigns_andCanBeRotatedAway() {
    EndpointCodec codec = new EndpointCodec(Map.of(), Map.of());
    String stored =
        "{\"v\":1,\"id\":\"ep_old\",\"url\":\"https://x.example/\",\"method\":\"POST\","
            + "\"eventTypes\":[],\"scheme\":\"github\",\"keys\":[{\"secret\":\"short\"}],"
            + "\"headers\":{},\"enabled\":true,\"description\":\"\",\"ownerId\":\"\"}";

    Endpoint old = codec.read(stored);
    assertThat(old.signerAt(Instant.EPOCH)).isPresent();
    Endpoint rotated =
        old.toBuilder().rotateSecret("a-github-secret-long-enough", Instant.parse("2030-01-01T00:00:00Z")).build();
    assertThat(rotated.keys()).hasSize(2);
    assertThat(codec.read(codec.write(rotated)).keys()).isEqualTo(rotated.keys());
    // A new short key is still refused, at the call that sets it.
    assertThatThrownBy(() -> old.toBuilder().rotateSecret("short2", Instant.EPOCH))
        .hasMessageContaining("key #0");
  }

  @Test
  void theSameHeaderInAnotherCase_replacesTheFirst() {
    Endpoint e = Endpoint.builder("https://x.example/").header("X-Team", "a").header("x-team", "b").build();
    assertThat(e.headers()).containsExactly(Map.entry("x-team", "b"));
  }

  @Test
  void subscriptions_exactPatternsAndAll() {
    Endpoint all = Endpoint.builder("https://x.example/").build();
    Endpoint some = Endpoint.builder("https://x.example/").subscribe("experience.*", "goal.achieved").build();

    assertThat(all.subscribes("anything.at.all")).isTrue();
    assertThat(some.subscribes("experience.started")).isTrue();
    assertThat(some.subscribes("goal.achieved")).isTrue();
    assertThat(some.subscribes("goal.other")).isFalse();
    assertThat(some.subscribes("experiences.started")).isFalse();
  }

  @Test
  void toString_showsNoSecretOrCredential() {
    Endpoint endpoint =
        Endpoint.builder("https://x.example/hook")
            .signing(SignatureScheme.standardWebhooks(), secret)
            .authentication(Authentication.bearer("tok-secret"))
            .build();

    assertThat(endpoint.toString()).contains("https://x.example/hook").doesNotContain(secret.substring(6)).doesNotContain("tok-secret");
    assertThat(endpoint.authentication().orElseThrow().toString()).doesNotContain("tok-secret");
    assertThat(endpoint.keys().get(0).toString()).doesNotContain(secret.substring(6));
  }

  @Test
  void storedForm_roundTripsEverySetting() {
    PayloadMapper mapper =
        new PayloadMapper() {
          @Override
          public String name() {
            return "m";
          }

          @Override
          public byte[] map(WebhookEvent<?> event, EventCodec codec) {
            return new byte[0];
          }
        };
    Endpoint endpoint =
        Endpoint.builder("https://x.example/hook?a=1")
            .id("ep_custom")
            .method("PUT")
            .subscribe("experience.*")
            .signing(SignatureScheme.standardWebhooks(), secret)
            .rotateSecret(Secrets.newStandardSecret(), Instant.parse("2030-01-01T00:00:00Z"))
            .header("X-Team", "growth")
            .authentication(Authentication.apiKey("X-API-Key", "k"))
            .timeout(Duration.ofSeconds(3))
            .retryPolicy(RetryPolicy.of(Duration.ofSeconds(1)).withJitter(0.2))
            .maxInFlight(4)
            .rateLimitPerNode(2.5)
            .payloadMapper(mapper)
            .description("growth team")
            .ownerId("tenant-7")
            .verifyOnRegistration(false)
            .sendTraceContext(true)
            .enabled(false)
            .build();
    EndpointCodec codec = new EndpointCodec(Map.of("m", mapper), Map.of());

    Endpoint restored = codec.read(codec.write(endpoint));

    assertThat(restored).isEqualTo(endpoint);
    assertThat(restored.sendsTraceContext()).isTrue();
    assertThat(restored.toBuilder().sendTraceContext(false).build()).isNotEqualTo(endpoint);
    assertThat(restored.keys()).isEqualTo(endpoint.keys());
    assertThat(restored.keys().get(1).expiresAt()).contains(Instant.parse("2030-01-01T00:00:00Z"));

    Endpoint exact = Endpoint.builder("https://x.example/").registrationStatus(200).build();
    assertThat(codec.read(codec.write(exact))).isEqualTo(exact);
    assertThat(codec.read(codec.write(exact)).registrationStatus()).hasValue(200);
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/").registrationStatus(301))
        .hasMessageContaining("registrationStatus");
  }

  @Test
  void toBuilderWithAnotherUrl_keepsIdKeysAndState_andTheClearersResetWhatTheySay() {
    Endpoint original =
        Endpoint.builder("https://old.example/hooks")
            .id("ep_move")
            .ownerId("acme")
            .signing(SignatureScheme.standardWebhooks(), secret)
            .rotateSecret(Secrets.newStandardSecret(), Instant.parse("2030-01-01T00:00:00Z"))
            .subscribe("experience.*")
            .header("X-Env", "prod")
            .authentication(Authentication.bearer("token-1"))
            .enabled(false)
            .build();

    Endpoint moved =
        original.toBuilder("https://new.example/hooks")
            .clearSubscriptions()
            .subscribe("goal.achieved")
            .clearHeaders()
            .clearAuthentication()
            .build();

    assertThat(moved.url()).isEqualTo("https://new.example/hooks");
    assertThat(moved.id()).isEqualTo("ep_move");
    assertThat(moved.ownerId()).isEqualTo("acme");
    assertThat(moved.keys()).isEqualTo(original.keys()).hasSize(2);
    assertThat(moved.enabled()).isFalse();
    assertThat(moved.eventTypes()).containsExactly("goal.achieved");
    assertThat(moved.headers()).isEmpty();
    assertThat(moved.authentication()).isEmpty();
    assertThat(original.toBuilder().clearSubscriptions().build().subscribes("anything.at_all")).isTrue();
    assertThat(original.toBuilder().clearPayloadMapper().build().payloadMapper()).isEmpty();
    assertThatThrownBy(() -> original.toBuilder("ftp://x.example/")).hasMessageContaining("http or https");
  }

  @Test
  void payloadTemplate_isTheMapper_andReadableAsATemplate() {
    String source = "{\"uid\": \"{{data.user_id}}\"}";
    Endpoint endpoint = Endpoint.builder("https://x.example/").payloadTemplate(source).build();

    assertThat(endpoint.payloadTemplate()).contains(PayloadTemplate.parse(source));
    assertThat(endpoint.payloadMapper()).containsInstanceOf(PayloadTemplate.class);
    assertThat(Endpoint.builder("https://x.example/").build().payloadTemplate()).isEmpty();
    assertThatThrownBy(() -> Endpoint.builder("https://x.example/").payloadTemplate("{\"uid\": \"{{uid}}\"}"))
        .isInstanceOf(PayloadTemplateException.class)
        .hasMessageStartingWith("payload template: unknown placeholder root \"uid\" in {{uid}} at line 1, column 12;");
  }

  @Test
  void authentication_showsItsKindHeaderAndBasicUser_butNeverTheCredentials() {
    Authentication basic = Authentication.basic("hook", "pa55word");
    Authentication key = Authentication.apiKey("X-API-Key", "k3y");

    assertThat(basic.kind()).isEqualTo("basic");
    assertThat(basic.headerName()).isEqualTo("Authorization");
    assertThat(basic.basicUser()).contains("hook");
    assertThat(Authentication.bearer("t0ken").kind()).isEqualTo("bearer");
    assertThat(Authentication.bearer("t0ken").basicUser()).isEmpty();
    assertThat(key.kind()).isEqualTo("api-key");
    assertThat(key.headerName()).isEqualTo("X-API-Key");
    assertThat(basic + " " + key).doesNotContain("pa55word").doesNotContain("k3y");
  }
}
