package dev.oversight.review.service;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oversight.common.crypto.KeyedDigest;
import dev.oversight.common.outbox.OutboxEvent;
import dev.oversight.common.outbox.OutboxStore;
import dev.oversight.review.repository.NotificationRepository;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * A use case's owners: the addresses told when one of its tasks reaches an SLA step. Changes are audited as
 * {@code USE_CASE_OWNERS_CHANGED} with how many addresses and a keyed digest of them (addresses are personal data).
 */
@ApplicationScoped
public class Owners {

    private final NotificationRepository repository;
    private final ReviewTransactions transactions;
    private final ReviewJson json;
    private final KeyedDigest digest;

    public Owners(NotificationRepository repository, ReviewTransactions transactions, ReviewJson json,
                  KeyedDigest digest) {
        this.repository = repository;
        this.transactions = transactions;
        this.json = json;
        this.digest = digest;
    }

    public List<String> save(String useCase, List<String> emails, String admin) {
        List<String> normal = emails.stream().map(String::strip).distinct().sorted().toList();
        return transactions.inTransaction(c -> {
            repository.saveOwners(c, useCase, normal, admin, Instant.now());
            ObjectNode payload = JsonNodeFactory.instance.objectNode().put("useCase", useCase)
                    .put("owners", normal.size()).put("emailsHmac", digest.hex(String.join(",", normal)));
            OutboxStore.insert(c, OutboxEvent.of(ReviewOutbox.AUDIT, "USE_CASE_OWNERS_CHANGED", useCase + "/owners",
                    useCase, admin, json.text(payload)));
            return normal;
        });
    }

    public List<String> of(String useCase) {
        return transactions.inTransaction(c -> repository.owners(c, useCase).orElse(List.of()));
    }
}
