package io.tokenmonitor.stack;

import io.tokenmonitor.processor.config.ProcessorConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options of token estimation, shared by the demo and processor commands.
 */
final class EstimationOptions {

    @Option(names = "--model-catalog", paramLabel = "FILE",
        description = "JSON file of models, tokenizers and prices that extends or overrides the shipped catalogue.")
    Path modelCatalogFile;

    @Option(names = "--tokenizer-dir", paramLabel = "DIR",
        description = "Directory of tokenizer files for exact counts beyond OpenAI's encodings, for example "
            + "llama3.tiktoken.")
    Path tokenizerDirectory;

    /** Returns the settings with these options applied. */
    ProcessorConfig applyTo(ProcessorConfig config) {
        return config.withModelCatalogFile(modelCatalogFile).withTokenizerDirectory(tokenizerDirectory);
    }
}
