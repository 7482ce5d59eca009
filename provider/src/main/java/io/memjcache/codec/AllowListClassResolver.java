package io.memjcache.codec;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Kryo's class resolution with the {@link AllowList} in front of it.
 *
 * <p>Reading: kryo hands every class name it reads to {@link #getTypeByName} before its own
 * {@code Class.forName}, so a refused name is never loaded, let alone initialised. Writing: every
 * class kryo writes passes {@link #writeClass}, so a put whose graph could not be read back fails
 * at once instead of turning into misses later.
 */
@SuppressWarnings("rawtypes") // kryo's ClassResolver API takes raw classes
final class AllowListClassResolver extends DefaultClassResolver {

  private AllowList allowList;

  AllowListClassResolver(AllowList allowList) {
    this.allowList = allowList;
  }

  /** The list for the next read or write of the kryo instance this resolver belongs to. */
  void use(AllowList list) {
    this.allowList = list;
  }

  AllowList allowList() {
    return allowList;
  }

  @Override
  public Registration writeClass(Output output, Class type) {
    if (type != null && !allowList.allows(type.getName())) {
      throw new ClassNotAllowedException(type.getName());
    }
    return super.writeClass(output, type);
  }

  @Override
  protected Class getTypeByName(String className) {
    if (!allowList.allows(className)) {
      throw new ClassNotAllowedException(className);
    }
    return super.getTypeByName(className);
  }
}
