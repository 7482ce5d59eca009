package io.memjcache.codec;

import javax.cache.CacheException;

/** A class outside the {@link AllowList}: refused when written (a put fails) and when read (a miss). */
public final class ClassNotAllowedException extends CacheException {

  private static final long serialVersionUID = 1L;

  private final String className;

  public ClassNotAllowedException(String className) {
    super(AllowList.refusal(className));
    this.className = className;
  }

  private ClassNotAllowedException(String className, String storedClassName) {
    super("cannot store a " + storedClassName + ": " + AllowList.refusal(className));
    this.className = className;
  }

  /** The same refusal, saying which stored object's graph holds the class. */
  ClassNotAllowedException storing(Object object) {
    return new ClassNotAllowedException(className, object.getClass().getName());
  }
}
