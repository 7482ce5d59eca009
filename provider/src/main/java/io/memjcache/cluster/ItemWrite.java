package io.memjcache.cluster;

/** One item of a pipelined multi-set. */
public record ItemWrite(String key, int exptime, byte[] bytes) {}
