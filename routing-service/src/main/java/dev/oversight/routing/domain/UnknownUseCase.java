package dev.oversight.routing.domain;

import dev.oversight.common.failure.Failure;

/** No use case has this name; the answer says how one is created. */
public final class UnknownUseCase extends Failure.NotFound {
    public UnknownUseCase(String useCase) {
        super("Use case '" + useCase + "' does not exist; create it with PUT /v1/use-cases/" + useCase + "/policy");
    }
}
