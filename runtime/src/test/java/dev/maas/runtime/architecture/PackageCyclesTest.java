package dev.maas.runtime.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The runtime's packages depend on each other one way only: protocol and metrics at the bottom,
 * then model, batching, compress and http, the server that assembles them, and the commands on top.
 * A cycle fails the build, naming the classes that close it.
 */
class PackageCyclesTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.maas.runtime");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.maas.runtime.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void nothingReachesBackIntoTheEntryPoint() {
    noClasses()
        .that()
        .resideInAPackage("dev.maas.runtime.(*)..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.maas.runtime")
        .because("RuntimeMain only dispatches to the commands")
        .check(MAIN);
  }
}
