package dev.oversight.routing.erasure.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.oversight.routing.domain.erasure.DataPart;
import dev.oversight.routing.domain.erasure.ErasureKind;
import dev.oversight.routing.erasure.repository.ErasureRepository.Erasure;
import dev.oversight.routing.erasure.service.ErasureService;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an erasure (or a retention sweep's batch) deleted: which parts, of how many decisions, how many an incident
 * held back. Right after a request, {@code heldDecisionIds} names the held ones and {@code complete} says whether
 * every match was erased (false: call again for the rest).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErasureResponse(UUID id, ErasureKind kind, String useCase, List<DataPart> parts, int decisions, int held,
                              List<UUID> heldDecisionIds, Boolean complete, String requestedBy, Instant createdAt) {

    static ErasureResponse of(Erasure e) {
        return new ErasureResponse(e.id(), e.kind(), e.useCase(), e.parts().stream().sorted().toList(), e.decisions(),
                e.held(), null, null, e.requestedBy(), e.createdAt());
    }

    static ErasureResponse of(ErasureService.Result r) {
        Erasure e = r.erasure();
        return new ErasureResponse(e.id(), e.kind(), e.useCase(), e.parts().stream().sorted().toList(), e.decisions(),
                e.held(), r.heldDecisionIds(), r.complete(), e.requestedBy(), e.createdAt());
    }
}
