package dev.hookwire.spring;

import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook endpoint: takes a POST at {@code hookwire.receiver.path}, hands its headers and its
 * body, byte for byte as received, to the {@link WebhookReceiver}, and answers with the
 * receiver's status, headers and text.
 */
@RestController
final class WebhookEndpoint {
  private final WebhookReceiver receiver;

  WebhookEndpoint(WebhookReceiver receiver) {
    this.receiver = receiver;
  }

  @PostMapping("${hookwire.receiver.path:/webhooks}")
  ResponseEntity<byte[]> receive(HttpServletRequest request) throws IOException {
    // The raw bytes, as sent, for the signature is over them: an object or a String would be
    // parsed or decoded first. One byte more than the receiver takes is enough for it to refuse
    // a body that is too large, which is never read into memory whole.
    byte[] body;
    try (InputStream in = request.getInputStream()) {
      body = in.readNBytes(receiver.maxBodyBytes() + 1);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, Collections.list(request.getHeaders(name)));
    }
    ReceiveResult result = receiver.receive(headers, body);
    ResponseEntity.BodyBuilder response = ResponseEntity.status(result.status());
    result.headers().forEach(response::header);
    return response.body(result.bodyBytes());
  }
}
