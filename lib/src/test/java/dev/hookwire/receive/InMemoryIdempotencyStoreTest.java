package dev.hookwire.receive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hookwire.receive.IdempotencyStore.Claim;
import dev.hookwire.testing.contract.IdempotencyStoreContract;
import org.junit.jupiter.api.Test;

/** The in-memory store keeps the {@link IdempotencyStore} contract, within its size bound. */
class InMemoryIdempotencyStoreTest extends IdempotencyStoreContract {

  @Override
  protected IdempotencyStore newStore() {
    return InMemoryIdempotencyStore.create();
  }

  @Test
  void pastTheBound_theRecordWrittenLongestAgoIsEvicted() {
    InMemoryIdempotencyStore small = InMemoryIdempotencyStore.create(3);
    for (String key : new String[] {"k1", "k2", "k3"}) {
      small.claim(key, "a", T0, T0.plus(LEASE));
      small.complete(key, T0.plus(TTL));
    }
    // k1 is written again, so k2 is now the oldest.
    small.complete("k1", T0.plus(TTL));
    small.claim("k4", "a", T0, T0.plus(LEASE));

    assertThat(small.size()).isEqualTo(3);
    assertThat(small.claim("k2", "b", T0, T0.plus(LEASE))).isEqualTo(Claim.ACQUIRED);
    assertThat(small.claim("k1", "b", T0, T0.plus(LEASE))).isEqualTo(Claim.COMPLETED);
    assertThat(small.claim("k4", "b", T0, T0.plus(LEASE))).isEqualTo(Claim.IN_PROGRESS);
  }

  @Test
  void expiredRecordsAtTheOldEnd_areDroppedAsClaimsPass() {
    InMemoryIdempotencyStore store = InMemoryIdempotencyStore.create();
    for (int i = 0; i < 100; i++) {
      store.claim("old" + i, "a", T0, T0.plus(LEASE));
      store.complete("old" + i, T0.plus(TTL));
    }
    store.claim("new", "a", T0.plus(TTL), T0.plus(TTL).plus(LEASE));

    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void create_refusesABoundBelowOne() {
    assertThatThrownBy(() -> InMemoryIdempotencyStore.create(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxEntries must be positive: 0");
    assertThat(InMemoryIdempotencyStore.create().maxEntries())
        .isEqualTo(InMemoryIdempotencyStore.DEFAULT_MAX_ENTRIES);
  }

  @Test
  void claim_refusesALeaseThatHasEndedAlready() {
    assertThatThrownBy(() -> store.claim("k", "a", T0, T0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaseUntil");
  }

  @Test
  void toString_showsSizeAndBound() {
    store.claim("k", "a", T0, T0.plus(LEASE));

    assertThat(store).hasToString("InMemoryIdempotencyStore[size=1, maxEntries=100000]");
  }
}
