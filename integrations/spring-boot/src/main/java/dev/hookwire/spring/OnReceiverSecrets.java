package dev.hookwire.spring;

import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code hookwire.receiver.secrets} holds at least one secret, written as a list in
 * any form Spring binds ({@code a,b}, {@code secrets[0]=a}, a YAML list).
 */
final class OnReceiverSecrets extends SpringBootCondition {
  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    List<String> secrets =
        Binder.get(context.getEnvironment())
            .bind("hookwire.receiver.secrets", Bindable.listOf(String.class))
            .orElse(List.of());
    return secrets.isEmpty()
        ? ConditionOutcome.noMatch("no hookwire.receiver.secrets")
        : ConditionOutcome.match(secrets.size() + " hookwire.receiver.secrets");
  }
}
