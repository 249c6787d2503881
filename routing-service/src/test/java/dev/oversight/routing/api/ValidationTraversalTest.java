package dev.oversight.routing.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.oversight.common.agents.Step;
import dev.oversight.common.agents.StepKind;
import dev.oversight.common.http.ValidationTraversal;
import dev.oversight.common.testing.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Valid;
import jakarta.validation.ValidatorFactory;
import jakarta.validation.constraints.NotNull;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The router (which has Hibernate ORM) validates request bodies without asking the JPA provider, per property, whether
 * it is loaded: bodies are records and lists, never entities. Nested items are still validated.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
class ValidationTraversalTest {

    record Body(@NotNull @Valid List<@NotNull @Valid Step> steps) {
    }

    @Inject
    ValidatorFactory validation;

    @Test
    void everyPropertyIsTraversed_withoutTheJpaProvidersResolver() {
        assertThat(validation.getTraversableResolver()).isInstanceOf(ValidationTraversal.Everything.class);
        Set<ConstraintViolation<Body>> bad = validation.getValidator().validate(new Body(List.of(
                new Step(StepKind.MESSAGE, "user", TextNode.valueOf("hi")),
                new Step(null, "", TextNode.valueOf("x")))));
        assertThat(bad).extracting(v -> v.getPropertyPath().toString())
                .containsExactlyInAnyOrder("steps[1].kind", "steps[1].name");
    }
}
