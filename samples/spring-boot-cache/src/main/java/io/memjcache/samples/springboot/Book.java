package io.memjcache.samples.springboot;

/** What the cache holds: any class kryo can serialize, here a record. */
public record Book(String isbn, String title, String author) {}
