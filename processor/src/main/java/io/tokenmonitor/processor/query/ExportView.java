package io.tokenmonitor.processor.query;

import java.util.List;

/**
 * A usage report of one user and period.
 *
 * @param totals the period totals, the same as the usage endpoint returns
 * @param requests the period's requests that the recent-requests store still holds, oldest first. The store
 *     keeps each user's newest 100 requests, so these may be fewer than {@code totals.requests()}.
 * @param complete whether {@code requests} lists every request the totals count. It is false when the period
 *     has more requests than the store keeps, and after a reset, whose earlier requests stay listed.
 */
public record ExportView(UsageView totals, List<RecentRequestsView.RequestView> requests, boolean complete) {
}
