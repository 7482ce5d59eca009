package io.memjcache;

import static com.tngtech.archunit.base.DescribedPredicate.and;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies between the provider's packages (issue 15), read from the compiled
 * main classes: the cluster layer depends on no other package of ours (what it needs of entries,
 * secrets and logging comes in through its own interfaces), and no two packages depend on each
 * other, directly or around a circle, nor on the root package that assembles them.
 */
class ArchitectureTest {

  private static JavaClasses provider;

  @BeforeAll
  static void importMainClasses() throws URISyntaxException {
    // the provider's own class directory (or jar) only: not the tests, not the testkit
    Path classes = Path.of(MemcachedCachingProvider.class.getProtectionDomain().getCodeSource()
        .getLocation().toURI());
    provider = new ClassFileImporter().importPath(classes);
  }

  @Test
  void clusterDependsOnNoOtherPackageOfOurs() {
    noClasses().that().resideInAPackage("io.memjcache.cluster..")
        .should().dependOnClassesThat(and(resideInAPackage("io.memjcache.."),
            resideOutsideOfPackage("io.memjcache.cluster..")))
        .check(provider);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("io.memjcache.(*)..").should().beFreeOfCycles().check(provider);
  }

  @Test
  void onlyTheRootPackageAssemblesTheOthers() {
    noClasses().that().resideOutsideOfPackage("io.memjcache")
        .should().dependOnClassesThat().resideInAPackage("io.memjcache")
        .check(provider);
  }
}
