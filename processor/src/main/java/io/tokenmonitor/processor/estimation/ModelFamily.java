package io.tokenmonitor.processor.estimation;

/**
 * Families of models that share a tokenizer, so a calibrated estimate fitted on one member applies to all.
 */
public enum ModelFamily {
    LLAMA3,
    MISTRAL,
    QWEN,
    DEEPSEEK,
    GEMMA,
    OPENAI,
    DEFAULT
}
