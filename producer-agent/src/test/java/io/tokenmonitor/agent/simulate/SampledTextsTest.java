package io.tokenmonitor.agent.simulate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tokenmonitor.agent.SharedData;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SampledTextsTest {

    @Test
    void shouldLoadEveryBenchmarkPair() throws IOException {
        Path file = SharedData.llmRequestsFile("Meta-Llama-3-70B-Instruct.json");

        SampledTexts texts = SampledTexts.load(file);
        TextSource.TextPair pair = texts.next(new Random(9));

        assertEquals(805, texts.size());
        assertFalse(pair.prompt().isEmpty(), "prompt is empty");
        assertFalse(pair.completion().isEmpty(), "completion is empty");
    }
}
