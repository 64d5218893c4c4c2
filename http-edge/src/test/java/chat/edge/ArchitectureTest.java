package chat.edge;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import chat.cluster.room.RoomEntity;
import chat.cluster.user.UserEntity;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityRef;
import org.junit.jupiter.api.Test;

/**
 * The dependency directions docs/architecture.md describes, kept true: three floors (entities,
 * read side, edge) that only look down; decisions in plain Java; one door to each entity type;
 * REST and WebSocket sharing one vocabulary instead of each other.
 */
class ArchitectureTest {

  /** Main code only: test classes come from test-classes folders, or from the modules' test jars. */
  private static final JavaClasses CLASSES = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.contains("-tests.jar"))
      .importPackages("chat");

  @Test
  void eachFloorOnlyLooksDown() {
    noClasses().that().resideInAPackage("chat.cluster..")
        .should().dependOnClassesThat().resideInAnyPackage("chat.projections..", "chat.edge..")
        .check(CLASSES);
    noClasses().that().resideInAPackage("chat.projections..")
        .should().dependOnClassesThat().resideInAPackage("chat.edge..")
        .check(CLASSES);
  }

  @Test
  void roomAndUserDecisionsArePlainJava() {
    noClasses().that().resideInAnyPackage("chat.cluster.room", "chat.cluster.user")
        .and().haveNameNotMatching(".*\\.(RoomEntity|UserEntity|RoomFront)(\\$.*)?")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.pekko..", "java.sql..", "javax.sql..")
        .check(CLASSES);
  }

  @Test
  void restAndWebSocketDoNotReachIntoEachOther() {
    noClasses().that().resideInAPackage("chat.edge.http..")
        .should().dependOnClassesThat().resideInAPackage("chat.edge.ws..")
        .check(CLASSES);
    noClasses().that().resideInAPackage("chat.edge.ws..")
        .should().dependOnClassesThat().resideInAPackage("chat.edge.http..")
        .check(CLASSES);
  }

  @Test
  void theApiVocabularyStandsBelowBothProtocols() {
    noClasses().that().resideInAPackage("chat.edge.api..")
        .should().dependOnClassesThat().resideInAnyPackage("chat.edge.http..", "chat.edge.ws..")
        .check(CLASSES);
  }

  @Test
  void servicesKnowNothingOfTheProtocols() {
    noClasses().that().resideInAnyPackage("chat.edge.rooms..", "chat.edge.users..", "chat.edge.auth..",
            "chat.edge.limits..")
        .should().dependOnClassesThat().resideInAnyPackage("chat.edge.http..", "chat.edge.ws..", "chat.edge.api..")
        .check(CLASSES);
    noClasses().that().resideInAPackage("chat.edge.users..")
        .should().dependOnClassesThat().resideInAnyPackage("chat.edge.auth..", "chat.edge.rooms..")
        .check(CLASSES);
  }

  /**
   * Commands to entities, and the asks that carry them, live in Rooms and Users; besides them only
   * the live feed's hub (which watches rooms) and start-up meet entities. Reply data may travel on.
   */
  @Test
  void roomsAndUsersAreTheDoorsToTheEntities() {
    noClasses().that().resideInAPackage("chat.edge..")
        .and().haveNameNotMatching("chat\\.edge\\.(rooms\\.Rooms|users\\.Users|ws\\.ConnectionHub|ChatNode)(\\$.*)?")
        .should().dependOnClassesThat().areAssignableTo(RoomEntity.Command.class)
        .orShould().dependOnClassesThat().areAssignableTo(UserEntity.Command.class)
        .orShould().dependOnClassesThat().areAssignableTo(EntityRef.class)
        .check(CLASSES);
  }
}
