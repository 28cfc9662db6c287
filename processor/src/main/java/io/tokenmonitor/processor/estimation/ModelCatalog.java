package io.tokenmonitor.processor.estimation;

import com.knuddels.jtokkit.api.EncodingType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model catalogue: maps model ids to a family, a tokenizer and per-provider prices. Immutable and
 * thread-safe.
 *
 * <p>The shipped catalogue is the classpath resource {@value #SHIPPED_RESOURCE}. A user file in the same format
 * extends it: an entry whose pattern equals a shipped pattern (ignoring case) replaces that entry whole, and a
 * custom tokenizer with a shipped tokenizer's name replaces it.
 *
 * <h2>Matching</h2>
 * See {@link ModelIdPattern}: {@code *} is the only wildcard, case is ignored, and a pattern without an
 * organisation prefix matches ids with or without one. {@link #lookup} returns the most specific matching
 * entry, ranked by, in order:
 * <ol>
 *   <li>a pattern without {@code *} over any pattern with one;</li>
 *   <li>more characters other than {@code *} in the pattern's model name (after its last {@code /});</li>
 *   <li>a pattern with an organisation prefix over one without;</li>
 *   <li>the entry listed first, where user entries come before shipped ones.</li>
 * </ol>
 * So for {@code gpt-4o-mini-2024-07-18} a pattern {@code gpt-4o-mini*} beats {@code gpt-4o*}, and an exact entry
 * {@code gpt-4o-mini-2024-07-18} beats both.
 *
 * <h2>File format</h2>
 * <pre>{@code
 * {
 *   "pricesCheckedOn": "2026-12-04",          // ISO date; required in the shipped file only
 *   "sources": ["where the prices come from"],
 *   "notes": ["free text"],
 *   "tokenizers": [{                          // custom tiktoken-format tokenizers, see CustomTokenizerSpec
 *     "name": "llama3", "file": "llama3.tiktoken", "splitPattern": "...",
 *     "regularTokenCount": 128000, "specialTokens": {"<|begin_of_text|>": 128000}
 *   }],
 *   "models": [{
 *     "model": "gpt-4o-mini*",                // pattern
 *     "family": "OPENAI",                     // a ModelFamily name
 *     "tokenizer": "o200k_base",              // OpenAI encoding, custom tokenizer name, or "none"
 *     "prices": {"openai": {"inputMicrosPerMillionTokens": 150000, "outputMicrosPerMillionTokens": 600000}},
 *     "fallbackProvider": "openai",           // optional, see CatalogEntry#priceFor
 *     "note": "free text"
 *   }]
 * }
 * }</pre>
 * Prices are integer micro-dollars per million tokens: $0.15 per million is 150000. Comments are not JSON and
 * appear above for explanation only.
 */
public final class ModelCatalog {

    /** The classpath resource of the shipped catalogue. */
    public static final String SHIPPED_RESOURCE = "/estimation/model-catalog.json";

    private static final Logger log = LoggerFactory.getLogger(ModelCatalog.class);

    private static final Comparator<CatalogEntry> SPECIFICITY = Comparator
        .comparing((CatalogEntry entry) -> entry.modelIdPattern().isExact())
        .thenComparingInt(entry -> entry.modelIdPattern().literalNameLength())
        .thenComparing(entry -> entry.modelIdPattern().hasOrganisation());

    private final LocalDate pricesCheckedOn;
    private final List<String> sources;
    private final List<CatalogEntry> entries;
    private final List<CustomTokenizerSpec> customTokenizers;

    private ModelCatalog(CatalogFile shipped, Optional<CatalogFile> user) {
        this.pricesCheckedOn = shipped.pricesCheckedOn().orElseThrow(() -> new IllegalArgumentException(
            "Invalid model catalogue " + shipped.source() + ": pricesCheckedOn is missing"));
        this.sources = shipped.sources();
        this.entries = mergeEntries(shipped, user);
        this.customTokenizers = mergeTokenizers(shipped, user);
        validateTokenizerNames();
    }

    /**
     * Loads the shipped catalogue.
     *
     * @throws IllegalStateException if the resource is missing from the classpath
     * @throws IllegalArgumentException if its content is invalid
     */
    public static ModelCatalog loadShipped() {
        ModelCatalog catalog = new ModelCatalog(readShipped(), Optional.empty());
        log.info("Loaded the model catalogue: {} entries, prices checked on {}",
            catalog.entries.size(), catalog.pricesCheckedOn);
        return catalog;
    }

    /**
     * Loads the shipped catalogue merged with a user's catalogue file.
     *
     * @throws UncheckedIOException if the user file is missing or cannot be read
     * @throws IllegalArgumentException if either file's content is invalid, naming the file and the entry
     */
    public static ModelCatalog loadWithUserFile(Path userFile) {
        CatalogFile user;
        try (InputStream in = Files.newInputStream(userFile)) {
            user = CatalogFile.read(in, userFile.toString());
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("Model catalogue file not found: " + userFile
                + "; fix the path or remove the setting to use the shipped catalogue only", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read model catalogue file " + userFile, e);
        }

        ModelCatalog catalog = new ModelCatalog(readShipped(), Optional.of(user));
        log.info("Loaded the model catalogue: {} entries, {} of them from {}, shipped prices checked on {}",
            catalog.entries.size(), user.entries().size(), userFile, catalog.pricesCheckedOn);
        return catalog;
    }

    /** Returns the most specific entry matching a model id, or empty when none matches or the id is blank. */
    public Optional<CatalogEntry> lookup(String modelId) {
        CatalogEntry best = null;
        for (CatalogEntry entry : entries) {
            if (!entry.modelIdPattern().matches(modelId)) {
                continue;
            }
            // Strictly greater, so on a tie the entry listed first stays.
            if (best == null || SPECIFICITY.compare(entry, best) > 0) {
                best = entry;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Returns the cost of a request in micro-dollars, or empty when the model is unknown or the catalogue has
     * no price for the provider (see {@link CatalogEntry#priceFor}). An unknown price gives no cost rather than
     * a guessed one.
     */
    public OptionalLong costMicros(String modelId, String provider, long inputTokens, long outputTokens) {
        Optional<Price> price = lookup(modelId).flatMap(entry -> entry.priceFor(provider));
        if (price.isEmpty()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Cost.costMicros(inputTokens, outputTokens, price.get()));
    }

    /** Returns the date on which the shipped prices were last checked against the providers' price lists. */
    public LocalDate pricesCheckedOn() {
        return pricesCheckedOn;
    }

    /** Returns where the shipped prices come from. */
    public List<String> sources() {
        return sources;
    }

    /** Returns all entries, user entries first. */
    public List<CatalogEntry> entries() {
        return entries;
    }

    /** Returns the custom tokenizers that entries may name, to be loaded by {@link ExactTokenizers}. */
    public List<CustomTokenizerSpec> customTokenizers() {
        return customTokenizers;
    }

    private static CatalogFile readShipped() {
        try (InputStream in = ModelCatalog.class.getResourceAsStream(SHIPPED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Model catalogue resource not found on the classpath: "
                    + SHIPPED_RESOURCE);
            }
            return CatalogFile.read(in, SHIPPED_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read model catalogue resource " + SHIPPED_RESOURCE, e);
        }
    }

    private static List<CatalogEntry> mergeEntries(CatalogFile shipped, Optional<CatalogFile> user) {
        List<CatalogEntry> merged = new ArrayList<>();
        Set<String> overridden = Set.of();
        if (user.isPresent()) {
            merged.addAll(user.get().entries());
            overridden = user.get().entries().stream()
                .map(entry -> entry.modelIdPattern().key())
                .collect(Collectors.toSet());
        }
        for (CatalogEntry entry : shipped.entries()) {
            if (!overridden.contains(entry.modelIdPattern().key())) {
                merged.add(entry);
            }
        }
        return List.copyOf(merged);
    }

    private static List<CustomTokenizerSpec> mergeTokenizers(CatalogFile shipped, Optional<CatalogFile> user) {
        Map<String, CustomTokenizerSpec> byName = new LinkedHashMap<>();
        shipped.tokenizers().forEach(spec -> byName.put(spec.name(), spec));
        user.ifPresent(file -> file.tokenizers().forEach(spec -> byName.put(spec.name(), spec)));
        return List.copyOf(byName.values());
    }

    private void validateTokenizerNames() {
        Set<String> custom = customTokenizers.stream().map(CustomTokenizerSpec::name).collect(Collectors.toSet());
        for (CatalogEntry entry : entries) {
            Optional<String> tokenizer = entry.tokenizer();
            if (tokenizer.isPresent() && EncodingType.fromName(tokenizer.get()).isEmpty()
                && !custom.contains(tokenizer.get())) {
                throw new IllegalArgumentException("Invalid model catalogue: model '"
                    + entry.pattern() + "' names tokenizer '" + tokenizer.get() + "', which is neither an "
                    + "OpenAI encoding (r50k_base, p50k_base, p50k_edit, cl100k_base, o200k_base) nor declared "
                    + "under tokenizers " + custom);
            }
        }
    }
}
