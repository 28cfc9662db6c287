package io.tokenmonitor.processor.estimation;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The parsed content of one catalogue file, the shipped one or a user's. {@link ModelCatalog} documents the
 * JSON format.
 */
record CatalogFile(
    String source,
    Optional<LocalDate> pricesCheckedOn,
    List<String> sources,
    List<CatalogEntry> entries,
    List<CustomTokenizerSpec> tokenizers
) {

    /**
     * Strict reading: unknown fields, duplicate keys, fractions in integer fields and numbers given as strings
     * are all errors, so a typo in a price never turns into a silently wrong cost.
     */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .build();

    /**
     * Reads and validates a catalogue file.
     *
     * @param source a name for the file in error messages, such as its path
     * @throws IllegalArgumentException naming the source and the entry if the content is invalid
     * @throws IOException if the stream cannot be read
     */
    static CatalogFile read(InputStream in, String source) throws IOException {
        CatalogJson json;
        try {
            json = MAPPER.readValue(in, CatalogJson.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(
                "Invalid model catalogue " + source + ": " + e.getOriginalMessage(), e);
        }
        if (json == null) {
            throw new IllegalArgumentException("Invalid model catalogue " + source + ": the file is empty");
        }

        try {
            return new CatalogFile(
                source,
                parseDate(json.pricesCheckedOn()),
                json.sources() == null ? List.of() : List.copyOf(json.sources()),
                toEntries(json.models()),
                toTokenizers(json.tokenizers()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid model catalogue " + source + ": " + e.getMessage(), e);
        }
    }

    private static Optional<LocalDate> parseDate(String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(LocalDate.parse(text));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("pricesCheckedOn '" + text + "' is not an ISO date like 2026-12-04");
        }
    }

    private static List<CatalogEntry> toEntries(List<ModelJson> models) {
        if (models == null) {
            return List.of();
        }
        List<CatalogEntry> entries = new ArrayList<>();
        Set<String> keys = new HashSet<>();
        for (ModelJson model : models) {
            CatalogEntry entry = toEntry(model);
            if (!keys.add(entry.modelIdPattern().key())) {
                throw new IllegalArgumentException("model '" + model.model() + "' appears twice");
            }
            entries.add(entry);
        }
        return List.copyOf(entries);
    }

    private static CatalogEntry toEntry(ModelJson model) {
        ModelIdPattern pattern = ModelIdPattern.parse(model.model());
        ModelFamily family = parseFamily(pattern, model.family());

        String tokenizer = model.tokenizer();
        if (tokenizer != null && (tokenizer.isBlank() || tokenizer.equalsIgnoreCase("none"))) {
            tokenizer = null;
        }

        Map<String, Price> prices = new LinkedHashMap<>();
        if (model.prices() != null) {
            model.prices().forEach((provider, price) -> prices.put(provider, toPrice(pattern, provider, price)));
        }
        return new CatalogEntry(pattern, family, tokenizer, prices, model.fallbackProvider());
    }

    private static ModelFamily parseFamily(ModelIdPattern pattern, String family) {
        if (family == null) {
            throw new IllegalArgumentException("model '" + pattern + "' has no family");
        }
        try {
            return ModelFamily.valueOf(family.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model '" + pattern + "' has unknown family '" + family
                + "'; expected one of " + List.of(ModelFamily.values()));
        }
    }

    private static Price toPrice(ModelIdPattern pattern, String provider, PriceJson price) {
        if (price == null || price.inputMicrosPerMillionTokens() == null
            || price.outputMicrosPerMillionTokens() == null) {
            throw new IllegalArgumentException("model '" + pattern + "' provider '" + provider
                + "' needs both inputMicrosPerMillionTokens and outputMicrosPerMillionTokens");
        }
        try {
            return new Price(price.inputMicrosPerMillionTokens(), price.outputMicrosPerMillionTokens());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model '" + pattern + "' provider '" + provider + "': "
                + e.getMessage(), e);
        }
    }

    private static List<CustomTokenizerSpec> toTokenizers(List<TokenizerJson> tokenizers) {
        if (tokenizers == null) {
            return List.of();
        }
        List<CustomTokenizerSpec> specs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (TokenizerJson tokenizer : tokenizers) {
            OptionalInt count = tokenizer.regularTokenCount() == null
                ? OptionalInt.empty()
                : OptionalInt.of(tokenizer.regularTokenCount());
            CustomTokenizerSpec spec = new CustomTokenizerSpec(
                tokenizer.name(), tokenizer.file(), tokenizer.splitPattern(), count, tokenizer.specialTokens());
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("tokenizer '" + spec.name() + "' appears twice");
            }
            specs.add(spec);
        }
        return List.copyOf(specs);
    }

    private record CatalogJson(
        String pricesCheckedOn,
        List<String> sources,
        List<String> notes,
        List<TokenizerJson> tokenizers,
        List<ModelJson> models
    ) {
    }

    private record TokenizerJson(
        String name,
        String file,
        String splitPattern,
        Integer regularTokenCount,
        Map<String, Integer> specialTokens
    ) {
    }

    private record ModelJson(
        String model,
        String family,
        String tokenizer,
        Map<String, PriceJson> prices,
        String fallbackProvider,
        String note
    ) {
    }

    private record PriceJson(Long inputMicrosPerMillionTokens, Long outputMicrosPerMillionTokens) {
    }
}
