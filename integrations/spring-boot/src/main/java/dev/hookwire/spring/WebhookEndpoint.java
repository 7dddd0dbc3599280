package dev.hookwire.spring;

import dev.hookwire.receive.ReceiveResult;
import dev.hookwire.receive.WebhookReceiver;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
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
  ResponseEntity<byte[]> receive(
      HttpServletRequest request, @RequestBody(required = false) byte[] body) {
    // byte[] is the raw body: an object or a String would be parsed or decoded first, and the
    // signature is over the bytes that were sent.
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String name : Collections.list(request.getHeaderNames())) {
      headers.put(name, Collections.list(request.getHeaders(name)));
    }
    ReceiveResult result = receiver.receive(headers, body == null ? new byte[0] : body);
    ResponseEntity.BodyBuilder response = ResponseEntity.status(result.status());
    result.headers().forEach(response::header);
    return response.body(result.bodyBytes());
  }
}
