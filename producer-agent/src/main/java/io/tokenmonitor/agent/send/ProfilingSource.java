package io.tokenmonitor.agent.send;

import io.tokenmonitor.profile.TextProfiles;
import io.tokenmonitor.schema.TokenRequest;
import java.io.IOException;

/**
 * A source that replaces the prompt and completion text of each request of another source by its content
 * profile, so that only character counts leave this process. A missing text stays missing, and a request
 * that already carries a profile in place of a text keeps it.
 */
public final class ProfilingSource implements RequestSource {

    private final RequestSource source;

    public ProfilingSource(RequestSource source) {
        this.source = source;
    }

    /** Returns a copy of a request with each text replaced by its profile. */
    public static TokenRequest withoutTexts(TokenRequest request) {
        TokenRequest.Builder builder = TokenRequest.newBuilder(request);
        if (request.getPromptText() != null) {
            builder.setPromptProfile(TextProfiles.ofText(request.getPromptText())).setPromptText(null);
        }
        if (request.getCompletionText() != null) {
            builder.setCompletionProfile(TextProfiles.ofText(request.getCompletionText())).setCompletionText(null);
        }
        return builder.build();
    }

    @Override
    public boolean hasNext() throws IOException {
        return source.hasNext();
    }

    @Override
    public TokenRequest next() throws IOException {
        return withoutTexts(source.next());
    }

    @Override
    public long skipped() {
        return source.skipped();
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
