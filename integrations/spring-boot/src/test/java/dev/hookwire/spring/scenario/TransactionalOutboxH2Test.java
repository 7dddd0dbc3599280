package dev.hookwire.spring.scenario;

/** The transactional outbox on the embedded H2 database that Spring Boot makes. */
class TransactionalOutboxH2Test extends TransactionalOutboxScenario {}
