package io.tokenmonitor.agent.send;

import io.tokenmonitor.agent.send.SendSummary.Outcome;
import io.tokenmonitor.schema.TokenRequest;
import java.io.IOException;
import java.util.function.BooleanSupplier;

/**
 * Sends every request of a source, paced, until the source is exhausted, a stop is requested, the input
 * fails or a send fails in a way later records would repeat. It always flushes the producer before
 * returning, so the summary counts every record handed to it.
 */
public final class SendLoop {

    private final RequestSender sender;
    private final RatePacer pacer;
    private final ProgressReporter progress;
    private final BooleanSupplier stopRequested;

    public SendLoop(RequestSender sender, RatePacer pacer, ProgressReporter progress, BooleanSupplier stopRequested) {
        this.sender = sender;
        this.pacer = pacer;
        this.progress = progress;
        this.stopRequested = stopRequested;
    }

    /**
     * Sends the source's requests and returns the counts.
     *
     * @throws InterruptedException if the thread is interrupted while waiting for a send slot
     */
    public SendSummary run(RequestSource source) throws InterruptedException {
        Outcome outcome = Outcome.COMPLETED;
        String error = null;

        while (true) {
            if (stopRequested.getAsBoolean()) {
                outcome = Outcome.STOPPED;
                break;
            }

            TokenRequest request;
            try {
                if (!source.hasNext()) {
                    break;
                }
                pacer.awaitNextSlot();
                if (stopRequested.getAsBoolean()) {
                    outcome = Outcome.STOPPED;
                    break;
                }
                // A source can end during the wait, such as a simulation that reaches its duration.
                if (!source.hasNext()) {
                    break;
                }
                request = source.next();
            } catch (IOException e) {
                outcome = Outcome.INPUT_FAILED;
                error = e.getMessage();
                break;
            }

            try {
                sender.send(request);
            } catch (SendFailedException e) {
                outcome = Outcome.SEND_FAILED;
                error = e.getMessage();
                break;
            }
            Exception fatal = sender.fatalFailure();
            if (fatal != null) {
                outcome = Outcome.SEND_FAILED;
                error = fatal.toString();
                break;
            }
            progress.update(sender.attempted(), sender.failed());
        }

        sender.flush();
        if (outcome == Outcome.COMPLETED && sender.fatalFailure() != null) {
            outcome = Outcome.SEND_FAILED;
            error = sender.fatalFailure().toString();
        }
        return new SendSummary(sender.acknowledged(), sender.failed(), source.skipped(), outcome, error);
    }
}
