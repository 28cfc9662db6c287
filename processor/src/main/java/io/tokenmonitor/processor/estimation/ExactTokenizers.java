package io.tokenmonitor.processor.estimation;

import io.tokenmonitor.processor.estimation.BytePairCounter.LoneSurrogates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the exact token counter for a tokenizer name, or nothing, so that an estimator chain can fall through
 * to its next estimator. Thread-safe.
 *
 * <p>The OpenAI encodings r50k_base, p50k_base, p50k_edit, cl100k_base and o200k_base are always available,
 * from the ranks files inside the jtokkit 1.1.0 jar. Each is loaded on its first use, which takes a noticeable
 * fraction of a second. Custom tokenizers are tiktoken-format ranks files in a configured directory, read once by the
 * constructor. The spec named {@code llama3} in the shipped catalogue expects {@code <directory>/llama3.tiktoken}
 * with the 128,000 regular tokens of Llama 3, one {@code <base64 token> <rank>} line each. A custom tokenizer
 * whose file is missing is skipped and its lookups return empty. This project ships no tokenizer file.
 *
 * <p>NOTE: the unit tests cannot check the shipped Llama 3 split pattern, because no real vocabulary is
 * committed. It is the pattern of the npm package llama3-tokenizer-js 1.2.0. With a ranks file converted from
 * that package's vocabulary, counts equalled the package's on 3,220 chat texts.
 */
public final class ExactTokenizers {

    private static final Logger log = LoggerFactory.getLogger(ExactTokenizers.class);

    private final Set<String> loadedCustomTokenizers = new HashSet<>();
    private final ConcurrentMap<String, ExactTokenCounter> counters = new ConcurrentHashMap<>();

    /**
     * Registers every custom tokenizer whose ranks file exists in the directory.
     *
     * @param tokenizerDirectory the directory containing custom ranks files, or empty for OpenAI encodings only
     * @param customTokenizers the specs to look for, usually {@link ModelCatalog#customTokenizers()}
     * @throws IllegalArgumentException if the directory does not exist, two specs share a name, or a ranks
     *     file that exists is invalid
     * @throws UncheckedIOException if a ranks file cannot be read
     */
    public ExactTokenizers(Optional<Path> tokenizerDirectory, List<CustomTokenizerSpec> customTokenizers) {
        Set<String> names = new HashSet<>();
        for (CustomTokenizerSpec spec : customTokenizers) {
            if (!names.add(spec.name())) {
                throw new IllegalArgumentException("Custom tokenizer '" + spec.name() + "' is declared twice");
            }
        }

        if (tokenizerDirectory.isEmpty()) {
            if (!customTokenizers.isEmpty()) {
                log.info("No tokenizer directory configured; custom tokenizers {} fall through to estimates",
                    names);
            }
            return;
        }

        Path directory = tokenizerDirectory.get();
        if (!Files.isDirectory(directory)) {
            throw new IllegalArgumentException("Tokenizer directory not found: " + directory
                + "; create it or remove the setting");
        }
        for (CustomTokenizerSpec spec : customTokenizers) {
            registerIfPresent(directory, spec);
        }
    }

    /** Creates a lookup with the OpenAI encodings only. */
    public static ExactTokenizers openAiOnly() {
        return new ExactTokenizers(Optional.empty(), List.of());
    }

    /**
     * Returns the counter for a tokenizer name: an OpenAI encoding or a registered custom tokenizer. Returns
     * empty for a null or unknown name and for a custom tokenizer whose file was missing.
     */
    public Optional<ExactTokenCounter> counterFor(String tokenizerName) {
        if (tokenizerName == null || tokenizerName.isBlank()) {
            return Optional.empty();
        }
        // A null result is not stored, so unknown names are looked up again, which is cheap.
        ExactTokenCounter counter = counters.computeIfAbsent(tokenizerName,
            name -> OpenAiEncodings.load(name).map(bytePairs -> new ExactTokenCounter(name, bytePairs)).orElse(null));
        return Optional.ofNullable(counter);
    }

    /** Returns the counter for a catalogue entry's tokenizer, or empty when it has none or it is not loaded. */
    public Optional<ExactTokenCounter> counterFor(CatalogEntry entry) {
        return entry.tokenizer().flatMap(this::counterFor);
    }

    /** Returns the names of the custom tokenizers whose files were found and registered. */
    public Set<String> loadedCustomTokenizers() {
        return Set.copyOf(loadedCustomTokenizers);
    }

    private void registerIfPresent(Path directory, CustomTokenizerSpec spec) {
        Path file = directory.resolve(spec.fileName());
        if (!Files.isRegularFile(file)) {
            log.info("No {} in {}; counts for tokenizer {} fall through to estimates", spec.fileName(), directory,
                spec.name());
            return;
        }

        Map<byte[], Integer> ranks;
        try {
            ranks = TiktokenRanks.read(file, spec.regularTokenCount());
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read tokenizer file " + file, e);
        }
        validateSpecialTokenIds(file, spec, ranks);

        // jtokkit 1.1.0 encodes each match of a custom pattern with String.getBytes, which writes '?' for an
        // unpaired surrogate.
        BytePairCounter bytePairs = new BytePairCounter(spec.compiledSplitPattern(), RankTable.of(ranks),
            LoneSurrogates.QUESTION_MARK);
        counters.put(spec.name(), new ExactTokenCounter(spec.name(), bytePairs));
        loadedCustomTokenizers.add(spec.name());
        log.info("Loaded tokenizer {} from {}: {} ranks", spec.name(), file, ranks.size());
    }

    /** Rejects special token ids that equal a rank, because decoding such an id would be ambiguous. */
    private static void validateSpecialTokenIds(Path file, CustomTokenizerSpec spec, Map<byte[], Integer> ranks) {
        Set<Integer> rankValues = new HashSet<>(ranks.values());
        spec.specialTokens().forEach((token, id) -> {
            if (rankValues.contains(id)) {
                throw new IllegalArgumentException("Invalid custom tokenizer '" + spec.name() + "': special token "
                    + token + " has id " + id + ", which is also a rank in " + file);
            }
        });
    }
}
