package io.tokenmonitor.agent.simulate;

import java.util.List;

/**
 * Model ids, inference providers and client app names that simulated requests draw from. The models
 * and providers are ones offered by a public Hugging Face website-generator app. Which provider serves
 * which model is not modelled, so pairs are drawn independently.
 */
public final class ModelCatalog {

    /** Hugging Face model ids. */
    public static final List<String> MODELS = List.of(
        "deepseek-ai/DeepSeek-V3-0324",
        "deepseek-ai/DeepSeek-R1-0528",
        "deepseek-ai/DeepSeek-V3.1",
        "Qwen/Qwen3-Coder-480B-A35B-Instruct",
        "meta-llama/Llama-3.3-70B-Instruct",
        "moonshotai/Kimi-K2-Instruct");

    /** Inference providers; {@code auto} means the router chose one. */
    public static final List<String> PROVIDERS = List.of(
        "fireworks-ai", "nebius", "sambanova", "novita", "hyperbolic", "together", "groq", "auto");

    /** Names of calling applications. */
    public static final List<String> APPS = List.of("website-generator", "chat-assistant", "code-review-bot");

    private ModelCatalog() {
    }
}
