package dev.vernier;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The direction of dependencies between Vernier's modules, checked on the compiled classes of every
 * module (this module's tests see them all). Maven already keeps a module from importing one it does
 * not declare (so nothing can depend on the server, which depends on every module); these rules say
 * what the declared dependencies may be used for: protocol → service → core, adapters → core, the
 * CLI → the protocol's model and core. The reasons are in docs/architecture-rules.md.
 */
@AnalyzeClasses(packages = "dev.vernier", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String CORE = "dev.vernier.core..";
    private static final String SERVICE = "dev.vernier.service..";
    private static final String PROTOCOL = "dev.vernier.protocol..";
    private static final String PROTOCOL_MODEL = "dev.vernier.protocol.model";
    private static final String STORE = "dev.vernier.store..";
    private static final String BACKEND = "dev.vernier.backend..";
    private static final String TRAINING = "dev.vernier.training..";
    private static final String OBJECTSTORE = "dev.vernier.objectstore..";
    private static final String CLI = "dev.vernier.cli..";
    private static final String SERVER = "dev.vernier.server..";
    private static final String TESTKIT = "dev.vernier.testkit..";

    /** Every package is a slice. */
    @ArchTest
    static final ArchRule noPackageDependsOnItselfThroughOthers = slices().matching("dev.vernier.(**)")
            .should().beFreeOfCycles()
            .because("a cycle makes two packages one idea in two places: neither can be read, tested or moved alone");

    @ArchTest
    static final ArchRule coreDependsOnTheJdkRe2jAndEjmlOnly = classes().that().resideInAPackage(CORE)
            .should().onlyDependOnClassesThat(resideInAnyPackage(CORE, "java..", "com.google.re2j..", "org.ejml..")
                    .and(not(resideInAnyPackage("java.sql..", "java.net.http.."))))
            .because("the domain (search spaces, strategies, job rules) depends on the JDK and small numeric "
                    + "libraries only: no JSON, SQL, HTTP or AWS SDK, and no other Vernier module (DESIGN.md)");

    @ArchTest
    static final ArchRule serviceDependsOnCoreButNoJsonProtocolOrImplementation = noClasses().that().resideInAPackage(SERVICE)
            .should().dependOnClassesThat().resideInAnyPackage(STORE, BACKEND, TRAINING, OBJECTSTORE, PROTOCOL, CLI, SERVER, "com.fasterxml.jackson..")
            .because("the service works on the domain's types through the ports (Store, TrainingBackend): "
                    + "wire formats belong to the protocol and implementations are chosen by the server");

    @ArchTest
    static final ArchRule protocolDependsOnServiceAndCoreNotOnImplementations = noClasses().that().resideInAPackage(PROTOCOL)
            .should().dependOnClassesThat().resideInAnyPackage(STORE, BACKEND, TRAINING, OBJECTSTORE, CLI, SERVER)
            .because("the front door turns SageMaker requests into service calls; which store and backend "
                    + "run them is the server's choice");

    @ArchTest
    static final ArchRule dashboardReadsThroughTheServiceNotImplementations = noClasses().that().resideInAPackage("dev.vernier.dashboard..")
            .should().dependOnClassesThat().resideInAnyPackage(STORE, BACKEND, TRAINING, CLI, SERVER)
            .because("the dashboard is a front door like the protocol: it reads and acts through the typed services, "
                    + "whatever store and backend the server chose");

    @ArchTest
    static final ArchRule adaptersDependOnCoreNotOnServiceOrProtocol = noClasses().that().resideInAnyPackage(STORE, BACKEND, TRAINING, OBJECTSTORE)
            .should().dependOnClassesThat().resideInAnyPackage(SERVICE, PROTOCOL, CLI, SERVER)
            .because("stores, training backends and object stores implement the domain's ports and know "
                    + "nothing of the operations or the wire format that use them");

    @ArchTest
    static final ArchRule cliUsesTheProtocolsModelAndCoreOnly = classes().that().resideInAPackage(CLI)
            .should().onlyDependOnClassesThat(not(resideInAPackage("dev.vernier.."))
                    .or(resideInAnyPackage(CLI, PROTOCOL_MODEL, CORE)))
            .because("the CLI is a client: it reads the server's botocore model (dev.vernier.protocol.model) "
                    + "and talks HTTP, and never reaches into the service, a store or a backend");

    @ArchTest
    static final ArchRule productionCodeDoesNotUseTheTestkit = noClasses().that().resideOutsideOfPackage(TESTKIT)
            .should().dependOnClassesThat().resideInAPackage(TESTKIT)
            .because("the testkit's contract suites are for tests; shipped code must not need them");
}
