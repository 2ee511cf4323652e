package dev.maas.operator.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The operator's packages depend on each other one way only: api and config at the bottom, then
 * revision, resolve, observe, decide, render, plan, status, dependent, reconciler, and cli and the
 * entry point on top. A cycle fails the build, naming the classes that close it.
 */
class PackageCyclesTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.maas.operator");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.maas.operator.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void theEntryPointIsOnTopAndTheCrdModelAtTheBottom() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.maas.operator.(*)..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.maas.operator")
        .because("MaasOperator only dispatches to the commands; nothing reaches back into it")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("dev.maas.operator.api..")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages(
            "dev.maas.operator.api..",
            "dev.maas.contract..",
            "java..",
            "io.fabric8..",
            "com.fasterxml..")
        .because("the CRD model stands alone: the CRD is generated from it")
        .check(MAIN);
  }
}
