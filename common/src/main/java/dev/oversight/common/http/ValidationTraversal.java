package dev.oversight.common.http;

import io.quarkus.hibernate.validator.ValidatorFactoryCustomizer;
import jakarta.inject.Singleton;
import jakarta.validation.Path;
import jakarta.validation.TraversableResolver;
import java.lang.annotation.ElementType;
import org.hibernate.validator.BaseHibernateValidatorConfiguration;

/**
 * Bean Validation here checks request bodies and relayed batches: records and lists, never JPA entities (Hibernate ORM
 * validates its entities with its own resolver, which this does not change). So every property is reachable and
 * cascadable, and asking a resolver per property, with a cache per validation, is pure cost: Quarkus's default asks the
 * JPA provider whether each property is loaded (the router) or answers "yes" through Hibernate Validator's per-call
 * cache (the other services). That was 7% of the router's samples for a route with a 50-step trajectory and 6.7% of the
 * review service's in a relayed batch of tasks. Here the answer is "yes" at once, and the cache is off.
 */
@Singleton
public class ValidationTraversal implements ValidatorFactoryCustomizer {

    /** Every property of a request body is reachable and cascadable. */
    public static final class Everything implements TraversableResolver {
        @Override
        public boolean isReachable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
                                   ElementType elementType) {
            return true;
        }

        @Override
        public boolean isCascadable(Object bean, Path.Node property, Class<?> rootBeanType, Path pathToProperty,
                                    ElementType elementType) {
            return true;
        }
    }

    @Override
    public void customize(BaseHibernateValidatorConfiguration<?> configuration) {
        configuration.traversableResolver(new Everything());
        configuration.enableTraversableResolverResultCache(false);
    }
}
