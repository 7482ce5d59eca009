package io.memjcache.spring.boot;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Properties;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Registers a {@code JCachePropertiesCustomizer} that hands the {@code memjcache.*} settings of the
 * Environment to the cache manager Spring Boot creates, so no application writes one.
 *
 * <p>Spring Boot 4 moved the interface from {@code org.springframework.boot.autoconfigure.cache} to
 * {@code org.springframework.boot.cache.autoconfigure}; its one method, {@code customize(Properties)},
 * is the same. The bean is registered under the type this Spring Boot has (a JDK proxy of it), so one
 * jar serves both generations.
 */
final class SettingsCustomizerRegistrar
    implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanClassLoaderAware {

  static final List<String> CUSTOMIZER_TYPES = List.of(
      "org.springframework.boot.cache.autoconfigure.JCachePropertiesCustomizer",
      "org.springframework.boot.autoconfigure.cache.JCachePropertiesCustomizer");

  private Environment environment;
  private ClassLoader classLoader;

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public void setBeanClassLoader(ClassLoader classLoader) {
    this.classLoader = classLoader;
  }

  @Override
  public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
    for (String typeName : CUSTOMIZER_TYPES) {
      if (ClassUtils.isPresent(typeName, classLoader)) {
        Class<?> type = ClassUtils.resolveClassName(typeName, classLoader);
        RootBeanDefinition definition = new RootBeanDefinition(type);
        definition.setInstanceSupplier(() -> customizer(type));
        registry.registerBeanDefinition("memjcacheSettingsCustomizer", definition);
        return;
      }
    }
  }

  private Object customizer(Class<?> type) {
    Environment env = environment;
    InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
      case "customize" -> {
        EnvironmentSettings.copyTo(env, (Properties) args[0]);
        yield null;
      }
      case "equals" -> proxy == args[0];
      case "hashCode" -> System.identityHashCode(proxy);
      case "toString" -> "memjcache.* settings from the Spring Environment";
      default -> throw new UnsupportedOperationException(method.toString());
    };
    return Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler);
  }
}
