package dev.hookwire.spring;

import dev.hookwire.event.WebhookEvent;
import dev.hookwire.receive.WebhookReceiver;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.HashMap;
import java.util.Map;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link WebhookHandler} methods of the application's beans by their types, without
 * creating any bean, and registers each on a receiver builder; a handler's bean is looked up when
 * its first webhook arrives, and a singleton's is kept from then on.
 */
final class WebhookHandlerMethods {
  private WebhookHandlerMethods() {}

  static int register(ConfigurableListableBeanFactory beans, WebhookReceiver.Builder builder) {
    Map<String, String> owners = new HashMap<>();
    int count = 0;
    for (String name : beans.getBeanDefinitionNames()) {
      if (ScopedProxyUtils.isScopedTarget(name)) {
        continue;
      }
      Class<?> type;
      try {
        type = beans.getType(name, false);
      } catch (RuntimeException e) {
        continue;
      }
      if (type == null) {
        continue;
      }
      Class<?> userType = ClassUtils.getUserClass(type);
      Map<Method, WebhookHandler> methods =
          MethodIntrospector.selectMethods(
              userType,
              (MethodIntrospector.MetadataLookup<WebhookHandler>)
                  m -> AnnotatedElementUtils.findMergedAnnotation(m, WebhookHandler.class));
      for (Map.Entry<Method, WebhookHandler> entry : methods.entrySet()) {
        Method method = entry.getKey();
        String pattern = entry.getValue().value();
        String where = userType.getName() + "#" + method.getName() + " (bean " + name + ")";
        String previous = owners.putIfAbsent(pattern, where);
        if (previous != null) {
          throw new IllegalStateException(
              "two @WebhookHandler(\"" + pattern + "\") methods: " + previous + " and " + where);
        }
        try {
          builder.on(pattern, dataClass(method, where), new Handler(beans, name, method)::invoke);
        } catch (IllegalArgumentException e) {
          throw new IllegalStateException("@WebhookHandler on " + where + ": " + e.getMessage(), e);
        }
        count++;
      }
    }
    return count;
  }

  /** The class of {@code T} in the one parameter, {@code WebhookEvent<T>}. */
  private static Class<?> dataClass(Method method, String where) {
    if (method.getParameterCount() != 1 || method.getParameterTypes()[0] != WebhookEvent.class) {
      throw new IllegalStateException(
          "@WebhookHandler method " + where + " must take exactly one parameter, a"
              + " WebhookEvent<T> whose data is read as T");
    }
    ResolvableType data = ResolvableType.forMethodParameter(new MethodParameter(method, 0)).getGeneric(0);
    Class<?> resolved = data.resolve();
    return resolved != null ? resolved : Object.class;
  }

  /** One handler method, with its bean and the method to call on it once they are known. */
  private static final class Handler {
    private final ConfigurableListableBeanFactory beans;
    private final String name;
    private final Method method;
    /** The singleton bean and its invocable method, after the first webhook. */
    private volatile Target target;

    private record Target(Object bean, Method invocable) {}

    Handler(ConfigurableListableBeanFactory beans, String name, Method method) {
      this.beans = beans;
      this.name = name;
      this.method = method;
    }

    void invoke(WebhookEvent<?> event) throws Exception {
      Target t = target;
      if (t == null) {
        Object bean = beans.getBean(name);
        // On a JDK proxy (an interface-based @Transactional bean, say), the interface's method.
        Method invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        ReflectionUtils.makeAccessible(invocable);
        t = new Target(bean, invocable);
        if (beans.isSingleton(name)) {
          target = t;   // another scope hands out another bean each time: look it up each time
        }
      }
      try {
        t.invocable().invoke(t.bean(), event);
      } catch (InvocationTargetException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception exception) {
          throw exception;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw e;
      }
    }
  }
}
