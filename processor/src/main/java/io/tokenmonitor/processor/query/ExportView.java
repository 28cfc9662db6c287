package io.tokenmonitor.processor.query;

import java.util.List;

/**
 * A usage report of one user and period.
 *
 * @param totals the period totals, the same as the usage endpoint returns
 * @param requests the period's requests that the recent-requests store still holds, oldest first. The store
 *     keeps each user's newest 100 requests, so these may be fewer than {@code totals.requests()}.
 */
public record ExportView(UsageView totals, List<RecentRequestsView.RequestView> requests) {
}
