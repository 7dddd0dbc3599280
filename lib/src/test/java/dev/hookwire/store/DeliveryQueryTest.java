package dev.hookwire.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The query's builder, defaults and checks; what stores answer is {@code DeliveryStoreContract}'s. */
class DeliveryQueryTest {
  static final Instant T = Instant.parse("2025-06-01T12:00:00Z");

  @Test
  void builder_defaults_selectEverythingFromTheEpoch_upToTheMaximum() {
    DeliveryQuery q = DeliveryQuery.builder().build();

    assertThat(q.endpointId()).isEmpty();
    assertThat(q.eventId()).isEmpty();
    assertThat(q.state()).isEmpty();
    assertThat(q.eventType()).isEmpty();
    assertThat(q.createdSince()).isEqualTo(Instant.EPOCH);
    assertThat(q.createdBefore()).isEmpty();
    assertThat(q.after()).isEmpty();
    assertThat(q.limit()).isEqualTo(DeliveryQuery.MAX_LIMIT).isEqualTo(10_000);
  }

  @Test
  void builder_setsEveryComponent_andToBuilderCopiesThem() {
    DeliveryQuery q =
        DeliveryQuery.builder()
            .endpointId("ep_1")
            .eventId("evt_1")
            .state(DeliveryState.DEAD)
            .eventType("goal.achieved")
            .createdSince(T)
            .createdBefore(T.plusSeconds(60))
            .after(new DeliveryQuery.Cursor(T.plusSeconds(30), "dlv_9"))
            .limit(50)
            .build();

    assertThat(q)
        .isEqualTo(
            new DeliveryQuery(
                Optional.of("ep_1"),
                Optional.of("evt_1"),
                Optional.of(DeliveryState.DEAD),
                Optional.of("goal.achieved"),
                T,
                Optional.of(T.plusSeconds(60)),
                Optional.of(new DeliveryQuery.Cursor(T.plusSeconds(30), "dlv_9")),
                50));
    assertThat(q.toBuilder().build()).isEqualTo(q);
    assertThat(q.toBuilder().limit(7).build().limit()).isEqualTo(7);
  }

  @Test
  void after_aRecord_isItsCreationTimeAndId() {
    DeliveryRecord last =
        new DeliveryRecord("dlv_7", "ep_1", "evt_1", "goal.achieved", DeliveryState.SUCCEEDED, 1,
            T, T, T.plusSeconds(1), Optional.empty());

    assertThat(DeliveryQuery.builder().after(last).build().after())
        .contains(new DeliveryQuery.Cursor(T, "dlv_7"));
  }

  @Test
  void factories_keepTheirMeaning() {
    assertThat(DeliveryQuery.forEvent("evt_1"))
        .isEqualTo(DeliveryQuery.builder().eventId("evt_1").build());
    assertThat(DeliveryQuery.forEndpoint("ep_1", DeliveryState.DEAD, T, 10))
        .isEqualTo(
            new DeliveryQuery(
                Optional.of("ep_1"), Optional.empty(), Optional.of(DeliveryState.DEAD), T, 10));
  }

  @Test
  void limit_outsideOneToTheMaximum_isRefused_namingTheRange() {
    for (int bad : new int[] {0, -1, 10_001, Integer.MAX_VALUE}) {
      assertThatThrownBy(() -> DeliveryQuery.builder().limit(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("limit must be from 1 to 10000: " + bad);
      assertThatThrownBy(() -> DeliveryQuery.forEndpoint("ep_1", DeliveryState.DEAD, T, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("limit must be from 1 to 10000");
      assertThatThrownBy(
              () ->
                  new DeliveryQuery(
                      Optional.empty(), Optional.empty(), Optional.empty(), T, bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("limit must be from 1 to 10000");
    }
    assertThat(DeliveryQuery.builder().limit(1).limit(10_000).build().limit()).isEqualTo(10_000);
  }

  @Test
  void anEmptyTimeWindow_isRefused_atBuild_namingBothEnds() {
    assertThatThrownBy(() -> DeliveryQuery.builder().createdSince(T).createdBefore(T).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("createdSince (2025-06-01T12:00:00Z) must be before createdBefore"
            + " (2025-06-01T12:00:00Z)");
    assertThatThrownBy(
            () ->
                DeliveryQuery.builder()
                    .createdBefore(T)
                    .createdSince(T.plusNanos(1))
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("createdSince (2025-06-01T12:00:00.000000001Z)");
    assertThatThrownBy(
            () ->
                new DeliveryQuery(
                    Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), T,
                    Optional.of(T.minusSeconds(1)), Optional.empty(), 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be before createdBefore");
    assertThat(DeliveryQuery.builder().createdSince(T).createdBefore(T.plusNanos(1)).build())
        .isNotNull();
  }

  @Test
  void nulls_areRefused_namingTheArgument() {
    DeliveryQuery.Builder b = DeliveryQuery.builder();
    assertThatThrownBy(() -> b.endpointId(null)).hasMessage("endpointId == null");
    assertThatThrownBy(() -> b.eventId(null)).hasMessage("eventId == null");
    assertThatThrownBy(() -> b.state(null)).hasMessage("state == null");
    assertThatThrownBy(() -> b.eventType(null)).hasMessage("eventType == null");
    assertThatThrownBy(() -> b.createdSince(null)).hasMessage("createdSince == null");
    assertThatThrownBy(() -> b.createdBefore(null)).hasMessage("createdBefore == null");
    assertThatThrownBy(() -> b.after((DeliveryRecord) null)).hasMessage("last == null");
    assertThatThrownBy(() -> b.after((DeliveryQuery.Cursor) null)).hasMessage("cursor == null");
    assertThatThrownBy(() -> new DeliveryQuery.Cursor(T, null)).hasMessage("deliveryId == null");
  }
}
