package dev.oversight.common.callback;

import java.util.List;

/**
 * The Standard Webhooks secrets ({@code whsec_…}) an app's callbacks are signed with: usually one, two while a
 * rotation's grace period lasts (every current secret signs, so the app may verify with either). Empty when the
 * app has none yet; its callbacks then wait until an admin creates one.
 */
@FunctionalInterface
public interface WebhookKeys {
    List<String> secretsOf(String app);
}
