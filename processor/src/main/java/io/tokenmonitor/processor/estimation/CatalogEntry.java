package io.tokenmonitor.processor.estimation;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One entry of the model catalogue: the models its pattern matches, their family, their tokenizer and the
 * price each provider charges for them.
 */
public final class CatalogEntry {

    private final ModelIdPattern pattern;
    private final ModelFamily family;
    private final String tokenizer;
    private final Map<String, Price> pricesByProvider;
    private final String fallbackProvider;

    /**
     * Creates an entry.
     *
     * @param pattern the model id pattern, see {@link ModelCatalog} for the matching rules
     * @param family the model family, which selects the calibrated estimate
     * @param tokenizer the tokenizer name, such as {@code o200k_base} or {@code llama3}, or null for none
     * @param pricesByProvider prices keyed by provider name, compared case-insensitively
     * @param fallbackProvider the provider whose price applies when a request names a provider without a price
     *     here, or null to give such requests no cost
     * @throws IllegalArgumentException if the fallback provider has no price in this entry
     */
    CatalogEntry(
        ModelIdPattern pattern,
        ModelFamily family,
        String tokenizer,
        Map<String, Price> pricesByProvider,
        String fallbackProvider
    ) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.family = Objects.requireNonNull(family, "family");
        this.tokenizer = tokenizer;

        Map<String, Price> prices = new TreeMap<>();
        pricesByProvider.forEach((provider, price) -> prices.put(normalizeProvider(provider), price));
        this.pricesByProvider = Map.copyOf(prices);

        this.fallbackProvider = fallbackProvider == null ? null : normalizeProvider(fallbackProvider);
        if (this.fallbackProvider != null && !this.pricesByProvider.containsKey(this.fallbackProvider)) {
            throw new IllegalArgumentException("Invalid entry '" + pattern + "': fallback provider '"
                + fallbackProvider + "' has no price in the entry; add its price or remove fallbackProvider");
        }
    }

    /** Returns the model id pattern as written in the catalogue. */
    public String pattern() {
        return pattern.text();
    }

    public ModelFamily family() {
        return family;
    }

    /** Returns the tokenizer name, or empty when the catalogue names no tokenizer for these models. */
    public Optional<String> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    /** Returns the prices keyed by lower-case provider name. */
    public Map<String, Price> pricesByProvider() {
        return pricesByProvider;
    }

    /** Returns the lower-case name of the provider whose price applies to providers without one, if any. */
    public Optional<String> fallbackProvider() {
        return Optional.ofNullable(fallbackProvider);
    }

    /**
     * Returns the price a provider charges for these models. A provider without a price here, or a missing
     * provider, gets the fallback provider's price when the entry names one, and no price otherwise.
     */
    public Optional<Price> priceFor(String provider) {
        if (provider != null && !provider.isBlank()) {
            Price listed = pricesByProvider.get(normalizeProvider(provider));
            if (listed != null) {
                return Optional.of(listed);
            }
        }
        return fallbackProvider().map(pricesByProvider::get);
    }

    ModelIdPattern modelIdPattern() {
        return pattern;
    }

    @Override
    public String toString() {
        return "CatalogEntry[" + pattern + ", " + family + ", tokenizer " + tokenizer + ", prices for "
            + pricesByProvider.keySet() + "]";
    }

    private static String normalizeProvider(String provider) {
        return provider.strip().toLowerCase(Locale.ROOT);
    }
}
