package io.memjcache.codec;

/** A cache key with its serialized bytes and the memcached key it is stored under. */
public record EncodedKey<K>(K key, byte[] bytes, String memcachedKey) {}
