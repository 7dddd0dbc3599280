package dev.hookwire.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.dispatch.Dispatcher;
import dev.hookwire.dispatch.Endpoint;
import dev.hookwire.dispatch.SendReceipt;
import dev.hookwire.store.DeliveryState;
import dev.hookwire.store.memory.InMemoryDeliveryStore;
import dev.hookwire.testing.ManualScheduler;
import dev.hookwire.testing.MutableClock;
import dev.hookwire.testing.TestEvents;
import dev.hookwire.transport.NetworkPolicy;
import dev.hookwire.transport.OkHttpTransport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/** One endpoint that never answers must not hold up another; closing drains what is in flight. */
class IsolationAndDrainTest {
  static final NetworkPolicy LOOPBACK = NetworkPolicy.builder().allowPrivateNetworks(true).build();

  @StartStop final MockWebServer fast = new MockWebServer();
  @StartStop final MockWebServer stuck = new MockWebServer();

  @Test
  void aStuckEndpoint_fillsOnlyItsOwnCap_theOtherGetsEverything() {
    CountDownLatch release = new CountDownLatch(1);
    stuck.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
            release.await(30, TimeUnit.SECONDS);
            return new MockResponse.Builder().code(200).build();
          }
        });
    fast.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            return new MockResponse.Builder().code(200).build();
          }
        });
    MutableClock clock = MutableClock.at(TestEvents.T0);
    ManualScheduler scheduler = new ManualScheduler(clock);
    InMemoryDeliveryStore store = InMemoryDeliveryStore.create();
    OkHttpTransport transport = OkHttpTransport.builder().networkPolicy(LOOPBACK).build();
    Dispatcher dispatcher =
        Dispatcher.builder()
            .store(store)
            .transport(transport)
            .clock(clock)
            .scheduler(scheduler)
            .networkPolicy(LOOPBACK)
            .maxInFlight(16)
            .build();
    try {
      Endpoint slow = dispatcher.register(Endpoint.builder(stuck.url("/").toString()).maxInFlight(4).timeout(Duration.ofSeconds(60)).build());
      Endpoint quick = dispatcher.register(Endpoint.builder(fast.url("/").toString()).build());
      dispatcher.start();
      List<SendReceipt> receipts = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        receipts.add(dispatcher.send(TestEvents.experienceStarted().toEvent(clock)));
      }

      scheduler.runUntil(() -> fast.getRequestCount() == 200, Duration.ofSeconds(20));

      assertThat(stuck.getRequestCount()).isLessThanOrEqualTo(4);
      assertThat(dispatcher.deadDeliveries(quick.id(), TestEvents.T0, 10)).isEmpty();
      long pendingForSlow =
          receipts.stream()
              .flatMap(r -> dispatcher.deliveries(r.eventId()).stream())
              .filter(d -> d.endpointId().equals(slow.id()) && d.state() == DeliveryState.PENDING)
              .count();
      assertThat(pendingForSlow).isEqualTo(200);
    } finally {
      release.countDown();
      dispatcher.close(Duration.ofSeconds(5));
      transport.close();
    }
  }

  @Test
  void close_waitsForRequestsInFlight_andRecordsThem_thenRefusesSends() throws Exception {
    CountDownLatch arrived = new CountDownLatch(3);
    fast.setDispatcher(
        new mockwebserver3.Dispatcher() {
          @Override
          public MockResponse dispatch(RecordedRequest request) {
            arrived.countDown();
            return new MockResponse.Builder().code(200).headersDelay(300, TimeUnit.MILLISECONDS).build();
          }
        });
    Dispatcher dispatcher = Dispatcher.builder().networkPolicy(LOOPBACK).build();
    dispatcher.register(Endpoint.builder(fast.url("/").toString()).build());
    dispatcher.start();
    List<SendReceipt> receipts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      receipts.add(dispatcher.send(TestEvents.experienceStarted().toEvent()));
    }
    assertThat(arrived.await(10, TimeUnit.SECONDS)).isTrue();

    dispatcher.close(Duration.ofSeconds(10));

    assertThat(dispatcher.inFlight()).isZero();
    for (SendReceipt receipt : receipts) {
      assertThat(dispatcher.deliveries(receipt.eventId()))
          .singleElement()
          .satisfies(d -> assertThat(d.state()).isEqualTo(DeliveryState.SUCCEEDED));
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> dispatcher.send(TestEvents.experienceEvent()))
        .isInstanceOf(IllegalStateException.class);
  }
}
