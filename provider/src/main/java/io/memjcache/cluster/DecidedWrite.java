package io.memjcache.cluster;

/**
 * A write the lead decided ({@code bytes} null: a delete), the version it replaced there
 * ({@code Long.MIN_VALUE} for none), the lead's membership epoch when it decided, and the other
 * replicas' reads sent with the lead's read it was decided on (null if none).
 */
record DecidedWrite(String key, int exptime, byte[] bytes, long version, long replacedVersion,
    Node lead, long leadEpoch, ReplicaReadAhead readAhead) {}
