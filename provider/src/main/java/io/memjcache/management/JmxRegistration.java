package io.memjcache.management;

import java.lang.management.ManagementFactory;
import javax.cache.CacheException;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Registers a cache's MXBeans in the platform MBean server under the names JSR-107 section 12
 * prescribes: {@code javax.cache:type=CacheStatistics|CacheConfiguration,CacheManager=..,Cache=..}.
 */
public final class JmxRegistration {

  /** The two MXBeans a cache can expose. */
  public enum Kind {
    CONFIGURATION("CacheConfiguration"),
    STATISTICS("CacheStatistics");

    private final String type;

    Kind(String type) {
      this.type = type;
    }
  }

  private JmxRegistration() {}

  public static <T> void register(Kind kind, String manager, String cache, T bean, Class<T> type) {
    register(name(kind, manager, cache), bean, type);
  }

  public static void unregister(Kind kind, String manager, String cache) {
    unregister(name(kind, manager, cache));
  }

  /** Registers an MXBean under a name of its own, unless one is there already. */
  public static <T> void register(ObjectName name, T bean, Class<T> type) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (!server.isRegistered(name)) {
        server.registerMBean(new StandardMBean(bean, type, true), name);
      }
    } catch (InstanceAlreadyExistsException ignored) {
      // registered by a concurrent call: the same cache, so the same bean
    } catch (Exception e) {
      throw new CacheException("cannot register " + name + " in JMX", e);
    }
  }

  public static void unregister(ObjectName name) {
    MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    try {
      if (server.isRegistered(name)) {
        server.unregisterMBean(name);
      }
    } catch (InstanceNotFoundException ignored) {
      // unregistered concurrently
    } catch (Exception e) {
      throw new CacheException("cannot unregister " + name + " from JMX", e);
    }
  }

  static ObjectName name(Kind kind, String manager, String cache) {
    try {
      return new ObjectName("javax.cache:type=" + kind.type + ",CacheManager=" + sanitize(manager)
          + ",Cache=" + sanitize(cache));
    } catch (MalformedObjectNameException e) {
      throw new CacheException("cannot name the MBean of cache " + cache, e);
    }
  }

  /** ObjectName values may not hold these characters unquoted; JSR-107 leaves the mapping open. */
  private static String sanitize(String value) {
    return value == null ? "" : value.replaceAll("[,:=\n*?\"]", ".");
  }
}
