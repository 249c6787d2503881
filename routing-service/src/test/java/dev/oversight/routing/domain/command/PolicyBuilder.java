package dev.oversight.routing.domain.command;

import dev.oversight.routing.domain.OnDrift;
import dev.oversight.routing.domain.OnReviewTimeout;
import dev.oversight.routing.domain.Policy;
import dev.oversight.routing.domain.Recalibration;
import dev.oversight.routing.domain.ReviewerRequirements;
import dev.oversight.routing.domain.Rule;
import dev.oversight.routing.domain.ModelVersions;
import dev.oversight.routing.domain.ToolRule;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/** A policy for the order's tests: every axis in the middle of its range, so each can move both ways. */
final class PolicyBuilder {

    static final Rule BIG = new Rule("big", "attributes.amount > 1000", 2);
    static final Rule PII = new Rule("pii", "attributes.pii == true", null);
    static final Recalibration MANUAL = new Recalibration(Duration.ofHours(6), Duration.ofDays(30), "platt", false);
    static final Recalibration AUTO = new Recalibration(Duration.ofHours(6), Duration.ofDays(30), "platt", true);

    Double threshold = 0.8;
    double targetErrorRate = 0.05;
    double delta = 0.05;
    double auditSampleRate = 0.02;
    List<Rule> reviewRules = List.of(BIG);
    List<Rule> blockRules = List.of(PII);
    int requiredReviews = 2;
    long reviewSlaSeconds = 3600;
    OnReviewTimeout onReviewTimeout = OnReviewTimeout.REJECT;
    boolean blindReview = true;
    List<String> apps = List.of("app-a");
    OnDrift onDrift = OnDrift.REVIEW_ALL;
    boolean fourEyes = true;
    Recalibration recalibration = MANUAL;
    List<ToolRule> tools = List.of(new ToolRule("lookup", ToolRule.Route.AUTO, null),
            new ToolRule("transfer", ToolRule.Route.REVIEW, 2));
    ModelVersions modelVersions = new ModelVersions(List.of("v1"), ModelVersions.OnNew.BLOCK);
    ReviewerRequirements reviewers = new ReviewerRequirements(List.of("claims"), List.of("pt"), List.of("adjuster"));

    static Policy base() {
        return new PolicyBuilder().build();
    }

    static Policy with(Consumer<PolicyBuilder> change) {
        PolicyBuilder b = new PolicyBuilder();
        change.accept(b);
        return b.build();
    }

    Policy build() {
        return new Policy(threshold, targetErrorRate, delta, auditSampleRate, reviewRules, blockRules, requiredReviews,
                reviewSlaSeconds, onReviewTimeout, blindReview, apps, onDrift, fourEyes, recalibration, tools,
                modelVersions, null, reviewers);
    }
}
