package dev.hookwire.opentelemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hookwire.store.spi.NewMessage;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TraceContextCodecTest {
  static final String PARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  @Test
  void theTraceparent_thenASemicolonAndTheTracestate_andBackAgain() {
    String kept = TraceContextCodec.encode(Map.of("traceparent", PARENT, "tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7")).orElseThrow();

    assertThat(kept).isEqualTo(PARENT + ";congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    assertThat(TraceContextCodec.decode(kept))
        .containsOnly(Map.entry("traceparent", PARENT), Map.entry("tracestate", "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7"));
  }

  @Test
  void withoutATracestate_theTraceparentAlone() {
    assertThat(TraceContextCodec.encode(Map.of("traceparent", PARENT, "tracestate", ""))).contains(PARENT);
    assertThat(TraceContextCodec.decode(PARENT)).containsOnly(Map.entry("traceparent", PARENT));
    assertThat(TraceContextCodec.decode(PARENT + ";")).containsOnly(Map.entry("traceparent", PARENT));
  }

  @Test
  void aTracestateTooLongToKeep_orNotPrintable_isDropped_theTraceparentKept() {
    String longState = "k=" + "v".repeat(NewMessage.MAX_TRACE_CONTEXT_LENGTH - PARENT.length() - 3);
    assertThat(PARENT.length() + 1 + longState.length()).isEqualTo(NewMessage.MAX_TRACE_CONTEXT_LENGTH);
    assertThat(TraceContextCodec.encode(Map.of("traceparent", PARENT, "tracestate", longState)))
        .hasValueSatisfying(kept -> assertThat(kept).hasSize(NewMessage.MAX_TRACE_CONTEXT_LENGTH));
    assertThat(TraceContextCodec.encode(Map.of("traceparent", PARENT, "tracestate", longState + "v"))).contains(PARENT);
    assertThat(TraceContextCodec.encode(Map.of("traceparent", PARENT, "tracestate", "k=caf\u00e9"))).contains(PARENT);
  }

  @Test
  void noTraceparent_orOneThatCouldNotBeSplitOff_keepsNothing() {
    assertThat(TraceContextCodec.encode(Map.of())).isEmpty();
    assertThat(TraceContextCodec.encode(Map.of("tracestate", "k=v"))).isEmpty();
    assertThat(TraceContextCodec.encode(Map.of("traceparent", "00-a;b"))).isEmpty();
    assertThat(TraceContextCodec.encode(Map.of("traceparent", "00-\n"))).isEmpty();
  }

  @Test
  void whatIsKept_isAlwaysWhatTheStoreAccepts() {
    String kept = TraceContextCodec.encode(Map.of("traceparent", PARENT, "tracestate", "a=" + "b".repeat(2000))).orElseThrow();
    NewMessage.checkTraceContext(kept);
  }
}
