package io.tokenmonitor.stack;

import io.tokenmonitor.processor.config.ProcessorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options of token estimation, shared by the demo and processor commands.
 */
final class EstimationOptions {

    @Option(names = "--model-catalog", defaultValue = "${env:TOKEN_MONITOR_MODEL_CATALOG}", paramLabel = "FILE",
        description = "JSON file of models, tokenizers and prices that extends or overrides the shipped "
            + "catalogue (environment variable TOKEN_MONITOR_MODEL_CATALOG).")
    Path modelCatalogFile;

    @Option(names = "--tokenizer-dir", defaultValue = "${env:TOKEN_MONITOR_TOKENIZER_DIR}", paramLabel = "DIR",
        description = "Directory of tokenizer files for exact counts beyond OpenAI's encodings, for example "
            + "llama3.tiktoken (environment variable TOKEN_MONITOR_TOKENIZER_DIR).")
    Path tokenizerDirectory;

    /**
     * Returns the settings with these options applied.
     *
     * @throws IllegalArgumentException if a given file or directory does not exist, before anything starts
     */
    ProcessorConfig applyTo(ProcessorConfig config) {
        if (modelCatalogFile != null && !Files.isRegularFile(modelCatalogFile)) {
            throw new IllegalArgumentException("Model catalogue file not found: " + modelCatalogFile);
        }
        if (tokenizerDirectory != null && !Files.isDirectory(tokenizerDirectory)) {
            throw new IllegalArgumentException("Tokenizer directory not found: " + tokenizerDirectory
                + "; create it or remove --tokenizer-dir");
        }
        return config.withModelCatalogFile(modelCatalogFile).withTokenizerDirectory(tokenizerDirectory);
    }
}
