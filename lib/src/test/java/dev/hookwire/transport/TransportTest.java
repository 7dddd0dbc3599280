package dev.hookwire.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class TransportTest {

  @Test
  void isTimeoutRecognizesTimeouts() {
    assertThat(Transport.isTimeout(new SocketTimeoutException("read timed out"))).isTrue();
    assertThat(Transport.isTimeout(new InterruptedIOException("timeout"))).isTrue();
    assertThat(Transport.isTimeout(new HttpTimeoutException("request timed out"))).isTrue();
    assertThat(Transport.isTimeout(new HttpConnectTimeoutException("connect timed out"))).isTrue();
  }

  @Test
  void isTimeoutUnwrapsFutureExceptions() {
    SocketTimeoutException timeout = new SocketTimeoutException();
    assertThat(Transport.isTimeout(new CompletionException(timeout))).isTrue();
    assertThat(Transport.isTimeout(new ExecutionException(new CompletionException(timeout)))).isTrue();
    assertThat(Transport.isTimeout(new CompletionException(new ConnectException()))).isFalse();
  }

  @Test
  void isTimeoutRejectsOtherFailures() {
    assertThat(Transport.isTimeout(new ConnectException("Connection refused"))).isFalse();
    assertThat(Transport.isTimeout(new IOException("unexpected end of stream"))).isFalse();
    assertThat(Transport.isTimeout(new DestinationRefusedException("refused"))).isFalse();
    // A timeout as the cause of something else is not a timeout of the request.
    assertThat(Transport.isTimeout(new IOException("closed", new SocketTimeoutException()))).isFalse();
    assertThat(Transport.isTimeout(new CompletionException(null))).isFalse();
    assertThat(Transport.isTimeout(new IllegalStateException())).isFalse();
  }
}
