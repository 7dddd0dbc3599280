package dev.hookwire.portal;

import static dev.hookwire.portal.PortalFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hookwire.event.WebhookEvent;
import dev.hookwire.store.AttemptOutcome;
import dev.hookwire.store.AttemptRecord;
import dev.hookwire.testing.LoopbackOnly;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The delivery log, replay, recovery, statistics, and the OpenAPI document against the routes. */
@ExtendWith(LoopbackOnly.class)
class PortalLogTest {
  PortalFixture f;
  PortalFixture.Client acme;
  String id;

  @BeforeEach
  void setUp() throws Exception {
    f = PortalFixture.create();
    acme = f.as("acme");
    id = acme.endpoint("log", "experience.started", "goal.achieved");
  }

  @AfterEach
  void tearDown() {
    f.close();
  }

  /** Sends an event to the endpoint, with the receiver answering {@code status}; waits for it. */
  String deliver(String type, int status) throws InterruptedException {
    f.receiver.answer(status, "answer " + status);
    String delivery = f.dispatcher.sendTo(id, WebhookEvent.create(type, Map.of("n", 1))).deliveryIds().get(0);
    AttemptRecord attempt = f.nextAttempt();
    assertThat(attempt.deliveryId()).isEqualTo(delivery);
    return delivery;
  }

  List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("deliveries").forEach(d -> ids.add(d.get("id").asText()));
    return ids;
  }

  @Test
  void theLog_filtersByStateTypeAndTime_newestFirst_andPagesWithNext() throws Exception {
    String ok1 = deliver("experience.started", 200);
    String dead1 = deliver("experience.started", 500);
    String ok2 = deliver("goal.achieved", 200);
    String dead2 = deliver("goal.achieved", 503);
    String ok3 = deliver("experience.started", 200);

    assertThat(ids(json(acme.get("/api/endpoints/" + id + "/deliveries")))).containsExactly(ok3, dead2, ok2, dead1, ok1);
    assertThat(ids(json(acme.get("/api/endpoints/" + id + "/deliveries?state=DEAD")))).containsExactly(dead2, dead1);
    assertThat(ids(json(acme.get("/api/endpoints/" + id + "/deliveries?state=dead&eventType=goal.achieved"))))
        .containsExactly(dead2);
    Instant ok2Created = f.dispatcher.delivery(ok2).orElseThrow().createdAt();
    assertThat(ids(json(acme.get("/api/endpoints/" + id + "/deliveries?since=" + ok2Created))))
        .containsExactly(ok3, dead2, ok2);
    assertThat(ids(json(acme.get("/api/endpoints/" + id + "/deliveries?before=" + ok2Created.plusNanos(1)))))
        .containsExactly(ok2, dead1, ok1);

    Set<String> seen = new HashSet<>();
    String next = null;
    int pages = 0;
    do {
      JsonNode page = json(acme.get("/api/endpoints/" + id + "/deliveries?limit=2" + (next == null ? "" : "&before=" + next)));
      assertThat(page.get("deliveries").size()).isLessThanOrEqualTo(2);
      for (String d : ids(page)) {
        assertThat(seen.add(d)).as("seen twice: " + d).isTrue();
      }
      next = page.get("next").isNull() ? null : page.get("next").asText();
      pages++;
    } while (next != null && pages < 10);
    assertThat(seen).containsExactlyInAnyOrder(ok1, dead1, ok2, dead2, ok3);

    JsonNode dead = json(acme.get("/api/endpoints/" + id + "/deliveries?state=DEAD")).get("deliveries").get(0);
    assertThat(dead.get("lastAttempt").get("status").asInt()).isEqualTo(503);
    assertThat(dead.get("lastAttempt").get("responseSnippet").asText()).isEqualTo("answer 503");
    assertThat(dead.get("lastAttempt").get("outcome").asText()).isEqualTo(AttemptOutcome.HTTP_ERROR.name());
  }

  @Test
  void theLog_refusesMalformedFilters() {
    for (String q : List.of("state=LOST", "since=yesterday", "before=2026-13-01T00:00:00Z", "limit=0", "limit=201", "limit=x")) {
      PortalResponse r = acme.get("/api/endpoints/" + id + "/deliveries?" + q);
      assertThat(r.status()).as(q).isEqualTo(400);
      assertThat(json(r).get("message").asText()).as(q).isNotBlank();
    }
  }

  @Test
  void replay_revivesADeadDelivery_whichThenSucceeds() throws Exception {
    String dead = deliver("experience.started", 500);
    f.receiver.answer(200, "fine");

    JsonNode replayed = json(acme.post("/api/endpoints/" + id + "/deliveries/" + dead + "/replay", null));

    assertThat(replayed.get("replayed").asBoolean()).isTrue();
    assertThat(f.nextAttempt().succeeded()).isTrue();
    JsonNode detail = json(acme.get("/api/endpoints/" + id + "/deliveries/" + dead));
    assertThat(detail.get("delivery").get("state").asText()).isEqualTo("SUCCEEDED");
    assertThat(detail.get("attempts")).extracting(a -> a.get("status").asInt()).containsExactly(500, 200);
    assertThat(json(acme.post("/api/endpoints/" + id + "/deliveries/" + dead + "/replay", null)).get("replayed").asBoolean())
        .isFalse();
  }

  @Test
  void recover_revivesEveryDeadDeliverySinceTheTimeGiven() throws Exception {
    String early = deliver("experience.started", 500);
    Instant cut = f.dispatcher.delivery(early).orElseThrow().createdAt().plusNanos(1);
    deliver("experience.started", 500);
    deliver("goal.achieved", 500);
    f.receiver.answer(200, "fine");

    JsonNode recovered = json(acme.post("/api/endpoints/" + id + "/recover", "{\"since\":\"" + cut + "\"}"));

    assertThat(recovered.get("replayed").asInt()).isEqualTo(2);
    assertThat(f.nextAttempt().succeeded()).isTrue();
    assertThat(f.nextAttempt().succeeded()).isTrue();
    assertThat(f.dispatcher.delivery(early).orElseThrow().state().name()).isEqualTo("DEAD");
    assertThat(acme.post("/api/endpoints/" + id + "/recover", "{}").status()).isEqualTo(400);
  }

  @Test
  void stats_countTheLastDaysAttempts() throws Exception {
    deliver("experience.started", 200);
    deliver("experience.started", 200);
    deliver("experience.started", 500);
    deliver("goal.achieved", 200);

    JsonNode stats = json(acme.get("/api/endpoints/" + id + "/stats"));

    assertThat(stats.get("attempts").asInt()).isEqualTo(4);
    assertThat(stats.get("succeeded").asInt()).isEqualTo(3);
    assertThat(stats.get("failed").asInt()).isEqualTo(1);
    assertThat(stats.get("successRate").asDouble()).isEqualTo(0.75);
    assertThat(stats.get("latencyP50Ms").isNumber()).isTrue();
    assertThat(stats.get("hours")).hasSize(24);
    JsonNode last = stats.get("hours").get(23);
    assertThat(last.get("succeeded").asInt() + last.get("failed").asInt()).isEqualTo(4);
    assertThat(stats.get("truncated").asBoolean()).isFalse();
  }

  @Test
  void statsArithmetic_bucketsByHour_andTakesNearestRankPercentiles() {
    Instant now = Instant.parse("2026-12-03T17:20:00Z");
    Instant from = Stats.from(now);
    assertThat(from).isEqualTo(Instant.parse("2026-12-02T18:00:00Z"));
    List<AttemptRecord> attempts = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      attempts.add(new AttemptRecord("d" + i, "ep", "msg_" + i, 1, from.plus(Duration.ofMinutes(14L * i)),
          Duration.ofMillis(i), i % 10 == 0 ? AttemptOutcome.HTTP_ERROR : AttemptOutcome.SUCCEEDED,
          i % 10 == 0 ? 500 : 200, Optional.empty(), ""));
    }
    JsonNode stats = Stats.of(attempts, from, now);

    assertThat(stats.get("successRate").asDouble()).isEqualTo(0.9);
    assertThat(stats.get("latencyP50Ms").asLong()).isEqualTo(50);
    assertThat(stats.get("latencyP99Ms").asLong()).isEqualTo(99);
    long total = 0;
    for (JsonNode h : stats.get("hours")) {
      total += h.get("succeeded").asLong() + h.get("failed").asLong();
    }
    assertThat(total).isEqualTo(100);
    assertThat(stats.get("hours").get(0).get("succeeded").asInt()).isEqualTo(4); // minutes 14, 28, 42, 56
    assertThat(Stats.of(List.of(), from, now).get("successRate").isNull()).isTrue();
  }

  @Test
  void theOpenApiDocument_describesExactlyTheRoutesThatAnswer() throws Exception {
    PortalResponse doc = acme.get("/api/openapi.json");
    assertThat(doc.status()).isEqualTo(200);
    JsonNode paths = json(doc).get("paths");
    String delivery = deliver("experience.started", 200);
    List<String[]> operations = new ArrayList<>();
    for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
      String path = it.next();
      for (Iterator<String> methods = paths.get(path).fieldNames(); methods.hasNext(); ) {
        String method = methods.next();
        if (!method.equals("parameters")) {
          operations.add(new String[] {method, path});
        }
      }
    }
    operations.sort((a, b) -> Boolean.compare(a[0].equals("delete"), b[0].equals("delete"))); // delete last
    for (String[] op : operations) {
      String method = op[0];
      String path = op[1];
      String concrete = path.replace("{id}", id).replace("{deliveryId}", delivery);
      String body = concrete.endsWith("/preview") ? "{\"template\":\"{}\"}"
          : concrete.endsWith("/recover") ? "{\"since\":\"2020-01-01T00:00:00Z\"}"
          : concrete.endsWith("/api/endpoints") || method.equals("put") ? "{\"url\":\"" + f.receiver.url("/x") + "\"}"
          : null;
      PortalResponse r = method.equals("get") ? acme.get(concrete) : acme.send(method.toUpperCase(), concrete, body);
      assertThat(paths.get(path).get(method).get("responses").has(String.valueOf(r.status())))
          .as(method + " " + path + " answered " + r.status() + " " + r.bodyText()).isTrue();
      assertThat(r.status()).as(method + " " + path).isLessThan(400);
    }
    assertThat(operations).hasSize(19);
  }
}
