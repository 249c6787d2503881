package dev.oversight.routing.erasure.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oversight.routing.erasure.service.ErasureService;
import dev.oversight.routing.policy.rest.UseCaseResource;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * An erasure of a person's data: the decisions listed, or every decision whose attribute at {@code path} has
 * {@code value} (in one use case, or all); exactly one of the two. {@code reason}: why (the audit log keeps its keyed
 * digest only).
 */
public record ErasureRequest(
        @Size(min = 1, max = ErasureService.MAX_DECISION_IDS, message = "holds 1 to "
                + ErasureService.MAX_DECISION_IDS + " decision ids") List<@NotNull UUID> decisionIds,
        @Valid SubjectAttribute subjectAttribute,
        @NotBlank(message = "say why the data is erased (a person's request, a court order)") @Size(max = 2000)
        String reason) {

    /** Attribute keys from the top, separated by dots: {@code customerId}, {@code customer.id}. */
    public static final String PATH = "[A-Za-z0-9_\\-]{1,64}(\\.[A-Za-z0-9_\\-]{1,64}){0,7}";

    public record SubjectAttribute(
            @Pattern(regexp = UseCaseResource.USE_CASE, message = UseCaseResource.USE_CASE_MESSAGE) String useCase,
            @NotNull(message = "is required: the attribute's keys from the top, separated by dots (customer.id)")
            @Pattern(regexp = PATH, message = "is the attribute's keys from the top, separated by dots (customer.id)")
            String path,
            @NotNull(message = "is required: the subject's value of that attribute (a string, number or boolean)")
            JsonNode value) {
    }
}
