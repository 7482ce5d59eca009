package io.memjcache.tck;

import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;

/**
 * Builds the platform MBean server with a fixed agent id, which is how the TCK's management tests
 * find the server the provider registers its MXBeans in.
 */
public final class TckMBeanServerBuilder extends MBeanServerBuilder {

  static final String AGENT_ID = System.getProperty("org.jsr107.tck.management.agentId", "MemjcacheMBeanServer");

  @Override
  public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
    return super.newMBeanServer(defaultDomain, outer, delegate);
  }

  @Override
  public MBeanServerDelegate newMBeanServerDelegate() {
    return new MBeanServerDelegate() {
      @Override
      public String getMBeanServerId() {
        return AGENT_ID;
      }
    };
  }
}
