package io.tokenmonitor.processor.query;

import io.tokenmonitor.processor.aggregation.StoreKeys;
import io.tokenmonitor.processor.estimation.Cost;
import io.tokenmonitor.processor.period.BillingPeriod;
import io.tokenmonitor.processor.plan.DefaultPlan;
import io.tokenmonitor.processor.plan.PlanBook;
import io.tokenmonitor.processor.plan.Plans;
import io.tokenmonitor.schema.DayUsage;
import io.tokenmonitor.schema.ModelUsage;
import io.tokenmonitor.schema.PlanState;
import io.tokenmonitor.schema.TokenUsage;
import io.tokenmonitor.schema.UsageAlert;
import io.tokenmonitor.schema.UsagePeriod;
import io.tokenmonitor.schema.UserPlan;
import io.tokenmonitor.serde.AvroSerde;
import io.tokenmonitor.topics.Topics;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Usage queries over one set of state stores: those of this instance, or of a test driver. Per-user queries
 * are complete when the stores hold the user's partition; {@link #topUsers} and {@link #users} cover only
 * the users these stores contain.
 */
public final class UsageQueries {

    private static final StringSerializer KEY_SERIALIZER = (StringSerializer) Serdes.String().serializer();
    private static final int EXPORT_READ_ATTEMPTS = 20;
    private static final int DATE_NAME_LENGTH = "YYYY-MM-DD".length();
    private static final int MONTH_NAME_LENGTH = "YYYY-MM".length();
    private static final int INVERTED_TIME_LENGTH = 19;

    private final UsageStores stores;
    private final AvroSerde<TokenUsage> usageSerde;
    private final DefaultPlan defaultPlan;

    /**
     * @param defaultPlan the plan of users without one of their own
     */
    public UsageQueries(UsageStores stores, AvroSerde<TokenUsage> usageSerde, DefaultPlan defaultPlan) {
        this.stores = stores;
        this.usageSerde = usageSerde;
        this.defaultPlan = defaultPlan;
    }

    /**
     * Returns a user's totals in a period; zeros when the user has none there.
     *
     * @param periodName the period's start date {@code YYYY-MM-DD}, a month {@code YYYY-MM} for the period
     *     starting in it, or null for the period containing {@code now}
     * @throws IllegalArgumentException if the name is malformed or no period of the user starts then
     */
    public UsageView usage(String userId, String periodName, Instant now) {
        return toView(userId, lookUp(userId, periodName, now));
    }

    /**
     * Returns a user's requests and tokens per local day of a period, in the time zone of the period's
     * calendar, with zeros for days without requests.
     *
     * @param periodName as for {@link #usage}
     * @throws IllegalArgumentException as for {@link #usage}
     */
    public DailyUsageView daily(String userId, String periodName, Instant now) {
        PeriodLookup lookup = lookUp(userId, periodName, now);
        BillingPeriod period = lookup.period();
        ZoneId zone = lookup.zone();
        Map<String, DayUsage> byDay = lookup.totals() != null ? lookup.totals().getByDay() : Map.of();

        List<DailyUsageView.Day> days = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(period.end().minusMillis(1), zone);
        LocalDate first = LocalDate.ofInstant(period.start(), zone);
        for (LocalDate date = first; !date.isAfter(last); date = date.plusDays(1)) {
            DayUsage day = byDay.get(date.toString());
            days.add(new DailyUsageView.Day(date.toString(), day != null ? day.getRequests() : 0,
                day != null ? day.getTotalTokens() : 0));
        }
        return new DailyUsageView(userId, period.name(), period.start().toString(), period.end().toString(),
            zone.getId(), days);
    }

    /** Returns a user's plan, the default one when the user has none, with the period containing {@code now}. */
    public PlanView plan(String userId, Instant now) {
        // One read, so the response cannot mix the default plan with a plan that arrives meanwhile.
        PlanState ownState = stores.plans().get(userId);
        PlanState state = ownState != null ? ownState : defaultPlan.toState(userId);
        UserPlan plan = state.getPlan();
        BillingPeriod current = Plans.periodContaining(state, now);
        return new PlanView(userId, plan.getPlanName(), plan.getMonthlyTokenLimit(), plan.getThresholdsPercent(),
            plan.getHardStopPercent(), plan.getTimeZone(), plan.getAnchorDay(), ownState == null,
            ownState != null ? plan.getUpdatedAt().toString() : null,
            new PlanView.PeriodRef(current.name(), current.start().toString(), current.end().toString()),
            state.getLayoutEffectiveFrom() != null ? state.getLayoutEffectiveFrom().toString() : null);
    }

    /**
     * Returns a page of a user's newest requests, newest first. Requests that share a millisecond of event
     * time are never split across pages, so a page may contain more than {@code limit} of them.
     *
     * @param before exclusive upper bound on event time, or null for the newest requests
     */
    public RecentRequestsView recentRequests(String userId, int limit, Instant before) {
        List<RecentRequestsView.RequestView> page = new ArrayList<>();
        long lastTimeMs = 0;
        boolean hasOlder = false;
        String prefix = StoreKeys.recentRequestPrefix(userId);
        try (KeyValueIterator<String, byte[]> iterator = stores.recentRequests().prefixScan(prefix, KEY_SERIALIZER)) {
            while (iterator.hasNext()) {
                KeyValue<String, byte[]> entry = iterator.next();
                long timeMs = timeOfRecentRequestKey(entry.key, prefix.length());
                if (before != null && !Instant.ofEpochMilli(timeMs).isBefore(before)) {
                    continue;
                }
                if (page.size() >= limit && timeMs != lastTimeMs) {
                    hasOlder = true;
                    break;
                }
                page.add(toRequestView(decode(entry.value)));
                lastTimeMs = timeMs;
            }
        }
        String nextBefore = hasOlder ? Instant.ofEpochMilli(lastTimeMs).toString() : null;
        return new RecentRequestsView(userId, page, nextBefore);
    }

    /**
     * Returns the alerts raised for a user in a period, oldest first.
     *
     * @param periodName as for {@link #usage}
     * @throws IllegalArgumentException as for {@link #usage}
     */
    public AlertsView alerts(String userId, String periodName, Instant now) {
        BillingPeriod period = lookUp(userId, periodName, now).period();
        List<AlertsView.Alert> alerts = new ArrayList<>();
        try (KeyValueIterator<String, UsageAlert> iterator =
                 stores.alerts().prefixScan(StoreKeys.alertPrefix(userId, period.name()), KEY_SERIALIZER)) {
            while (iterator.hasNext()) {
                UsageAlert alert = iterator.next().value;
                alerts.add(new AlertsView.Alert(alert.getAlertId(), alert.getThresholdPercent(), alert.getLimit(),
                    alert.getTotalTokens(), alert.getTimestamp().toString(), alert.getRequestId(), alert.getCause()));
            }
        }
        return new AlertsView(userId, period.name(), alerts);
    }

    /**
     * Checks whether a user may spend {@code tokens} more in the period containing {@code now}: within the
     * limit, and within the hard stop when the plan has one.
     *
     * @param tokens non-negative
     */
    public QuotaView quota(String userId, long tokens, Instant now) {
        PeriodLookup lookup = lookUp(userId, null, now);
        UsagePeriod totals = lookup.totals();
        long used = totals != null ? totals.getTotalTokens() : 0;
        long limit = totals != null ? totals.getLimit() : lookup.state().getPlan().getMonthlyTokenLimit();
        long after = Math.addExact(used, tokens);
        boolean withinLimit = after <= limit;

        Integer hardStopPercent = lookup.state().getPlan().getHardStopPercent();
        Long hardStopTokens = null;
        Boolean withinHardStop = null;
        if (hardStopPercent != null) {
            hardStopTokens = BigDecimal.valueOf(limit).multiply(BigDecimal.valueOf(hardStopPercent))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.FLOOR)
                .longValueExact();
            withinHardStop = after <= hardStopTokens;
        }
        boolean allowed = withinHardStop != null ? withinHardStop : withinLimit;
        return new QuotaView(userId, lookup.period().name(), tokens, used, limit, Math.max(0, limit - used),
            hardStopPercent, hardStopTokens, withinLimit, withinHardStop, allowed);
    }

    /**
     * Returns a user's usage report of a period: the totals and the period's requests still held, oldest first.
     *
     * <p>The topology writes a request's row before it adds the request to the totals, and the two stores are
     * read one after the other, so a report read between the two writes would list a request the totals lack.
     * Such a report is read again, up to {@value #EXPORT_READ_ATTEMPTS} times.
     *
     * @param periodName as for {@link #usage}
     * @throws IllegalArgumentException as for {@link #usage}
     */
    public ExportView export(String userId, String periodName, Instant now) {
        ExportView report = readExport(userId, periodName, now);
        for (int attempt = 1; attempt < EXPORT_READ_ATTEMPTS && report.requests().size() > report.totals().requests();
             attempt++) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return report;
            }
            report = readExport(userId, periodName, now);
        }
        return report;
    }

    private ExportView readExport(String userId, String periodName, Instant now) {
        PeriodLookup lookup = lookUp(userId, periodName, now);
        List<RecentRequestsView.RequestView> requests = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> iterator = stores.recentRequests()
                 .prefixScan(StoreKeys.recentRequestPrefix(userId), KEY_SERIALIZER)) {
            while (iterator.hasNext()) {
                TokenUsage usage = decode(iterator.next().value);
                if (lookup.period().contains(usage.getTimestamp())) {
                    requests.add(toRequestView(usage));
                }
            }
        }
        // The store lists newest first.
        Collections.reverse(requests);
        UsageView totals = toView(userId, lookup);
        return new ExportView(totals, requests, requests.size() == totals.requests());
    }

    /**
     * Returns the users of these stores with the most tokens in a period, highest first, ties by user id.
     *
     * @param periodName a start date {@code YYYY-MM-DD}, which matches the users whose period starts then; a
     *     month {@code YYYY-MM}, which matches each user's period that starts in it under the user's plan; or
     *     null for the period of the default plan that contains {@code now}
     * @throws IllegalArgumentException if the name is malformed
     */
    public TopUsersView topUsers(String periodName, int limit, Instant now) {
        PlanState defaultState = defaultPlan.toState("");
        String name = periodName != null ? periodName : Plans.periodContaining(defaultState, now).name();
        boolean isMonth = name.length() == MONTH_NAME_LENGTH;
        if (isMonth) {
            // Throws for a malformed month.
            Plans.periodNamed(defaultState, name);
        } else if (name.length() != DATE_NAME_LENGTH || !isDate(name)) {
            throw new IllegalArgumentException("Invalid period '" + name + "': expected YYYY-MM-DD or YYYY-MM");
        }

        String prefix = isMonth ? name + "-" : name + StoreKeys.SEPARATOR;
        PlanBook plans = new PlanBook(stores.plans(), defaultPlan);
        List<UsagePeriod> matches = new ArrayList<>();
        try (KeyValueIterator<String, UsagePeriod> iterator = stores.periods().prefixScan(prefix, KEY_SERIALIZER)) {
            while (iterator.hasNext()) {
                UsagePeriod totals = iterator.next().value;
                if (!isMonth || totals.getPeriod().equals(periodStartingIn(plans, totals.getUserId(), name))) {
                    matches.add(totals);
                }
            }
        }

        matches.sort(Comparator.comparingLong(UsagePeriod::getTotalTokens).reversed()
            .thenComparing(UsagePeriod::getUserId));
        List<TopUsersView.TopUser> users = new ArrayList<>();
        for (UsagePeriod totals : matches.subList(0, Math.min(limit, matches.size()))) {
            users.add(new TopUsersView.TopUser(totals.getUserId(), totals.getRequests(), totals.getTotalTokens(),
                totals.getLimit(), percentOf(totals.getTotalTokens(), totals.getLimit()),
                costDollars(totals.getCostMicros(), totals.getRequests(), totals.getUnpricedRequests())));
        }
        return new TopUsersView(name, users);
    }

    /**
     * Returns the ids, in ascending order, of the users these stores contain totals or a plan for that start with
     * {@code prefix}, at most {@code limit} of them.
     *
     * <p>NOTE: this reads every key of the period totals store, since those keys start with the period.
     */
    public UserListView users(String prefix, int limit) {
        String wanted = prefix != null ? prefix : "";
        TreeSet<String> users = new TreeSet<>();
        try (KeyValueIterator<String, UsagePeriod> iterator = stores.periods().all()) {
            while (iterator.hasNext()) {
                String key = iterator.next().key;
                String userId = key.substring(key.indexOf(StoreKeys.SEPARATOR) + 1);
                if (userId.startsWith(wanted)) {
                    keepSmallest(users, userId, limit + 1);
                }
            }
        }
        try (KeyValueIterator<String, PlanState> iterator = stores.plans().prefixScan(wanted, KEY_SERIALIZER)) {
            while (iterator.hasNext()) {
                keepSmallest(users, iterator.next().key, limit + 1);
            }
        }
        boolean truncated = users.size() > limit;
        List<String> page = new ArrayList<>(users).subList(0, Math.min(limit, users.size()));
        return new UserListView(page, truncated);
    }

    private static void keepSmallest(TreeSet<String> users, String userId, int maxSize) {
        users.add(userId);
        if (users.size() > maxSize) {
            users.pollLast();
        }
    }

    /** Returns the name of the user's period that starts in a month, or null when none does. */
    private static String periodStartingIn(PlanBook plans, String userId, String month) {
        try {
            return Plans.periodNamed(plans.stateOf(userId), month).name();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean isDate(String name) {
        try {
            LocalDate.parse(name);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    /** A user's plan state, a period of the user and its totals, null when the user has none there. */
    private record PeriodLookup(PlanState state, BillingPeriod period, UsagePeriod totals) {

        /** Returns the time zone that dates the period's days. */
        ZoneId zone() {
            if (totals != null && totals.getTimeZone() != null) {
                return ZoneId.of(totals.getTimeZone());
            }
            return Plans.calendarAt(state, period.start()).zone();
        }
    }

    /**
     * Finds a user's period by name, or the one containing {@code now} when the name is null, and its totals.
     *
     * @throws IllegalArgumentException if the name is malformed or no period of the user starts then
     */
    private PeriodLookup lookUp(String userId, String periodName, Instant now) {
        PlanState state = new PlanBook(stores.plans(), defaultPlan).stateOf(userId);
        if (periodName == null) {
            BillingPeriod period = Plans.periodContaining(state, now);
            return new PeriodLookup(state, period, stores.periods().get(StoreKeys.periodKey(period.name(), userId)));
        }
        // Totals stored under a date name are found even when the user's calendar has changed since.
        UsagePeriod totals = periodName.length() == DATE_NAME_LENGTH
            ? stores.periods().get(StoreKeys.periodKey(periodName, userId))
            : null;
        if (totals != null) {
            BillingPeriod period = new BillingPeriod(LocalDate.parse(totals.getPeriod()), totals.getPeriodStart(),
                totals.getPeriodEnd());
            return new PeriodLookup(state, period, totals);
        }
        BillingPeriod period = Plans.periodNamed(state, periodName);
        return new PeriodLookup(state, period, stores.periods().get(StoreKeys.periodKey(period.name(), userId)));
    }

    private static UsageView toView(String userId, PeriodLookup lookup) {
        UsagePeriod totals = lookup.totals();
        UserPlan plan = lookup.state().getPlan();
        BillingPeriod period = lookup.period();
        long limit = totals != null ? totals.getLimit() : plan.getMonthlyTokenLimit();
        long total = totals != null ? totals.getTotalTokens() : 0;

        return new UsageView(
            userId,
            period.name(),
            period.start().toString(),
            period.end().toString(),
            totals != null ? totals.getRequests() : 0,
            totals != null ? totals.getPromptTokens() : 0,
            totals != null ? totals.getCompletionTokens() : 0,
            total,
            limit,
            percentOf(total, limit),
            Math.max(0, limit - total),
            totals != null
                ? costDollars(totals.getCostMicros(), totals.getRequests(), totals.getUnpricedRequests())
                : Cost.formatDollars(0),
            totals != null ? totals.getUnpricedRequests() : 0,
            toShareViews(totals != null ? totals.getByModel() : Map.of()),
            toShareViews(totals != null ? totals.getByProvider() : Map.of()),
            List.copyOf(plan.getThresholdsPercent()),
            totals != null ? List.copyOf(totals.getAlertedThresholds()) : List.of(),
            plan.getHardStopPercent(),
            lookup.zone().getId());
    }

    private static Map<String, UsageView.ModelTotals> toShareViews(Map<String, ModelUsage> shares) {
        Map<String, UsageView.ModelTotals> views = new TreeMap<>();
        for (Map.Entry<String, ModelUsage> entry : shares.entrySet()) {
            ModelUsage share = entry.getValue();
            views.put(entry.getKey(), new UsageView.ModelTotals(share.getRequests(), share.getPromptTokens(),
                share.getCompletionTokens(), share.getTotalTokens(),
                costDollars(share.getCostMicros(), share.getRequests(), share.getUnpricedRequests()),
                share.getUnpricedRequests()));
        }
        return views;
    }

    private TokenUsage decode(byte[] value) {
        return usageSerde.deserialize(Topics.TOKEN_USAGE.name(), value);
    }

    private static RecentRequestsView.RequestView toRequestView(TokenUsage usage) {
        return new RecentRequestsView.RequestView(
            usage.getRequestId(),
            usage.getTimestamp().toString(),
            usage.getModel(),
            usage.getProvider(),
            usage.getPromptTokens(),
            usage.getCompletionTokens(),
            usage.getTotalTokens(),
            usage.getTokenSource().name(),
            usage.getEstimator(),
            usage.getCostMicros() != null ? Cost.formatDollars(usage.getCostMicros()) : null);
    }

    /** Returns the event time in a recent-request key, which stores it inverted, see {@link StoreKeys}. */
    private static long timeOfRecentRequestKey(String key, int prefixLength) {
        String inverted = key.substring(prefixLength, prefixLength + INVERTED_TIME_LENGTH);
        return Long.MAX_VALUE - Long.parseLong(inverted);
    }

    /** Returns the cost in dollars, or null when there are requests and none has a known price. */
    private static String costDollars(long costMicros, long requests, long unpricedRequests) {
        if (requests > 0 && unpricedRequests >= requests) {
            return null;
        }
        return Cost.formatDollars(costMicros);
    }

    private static double percentOf(long total, long limit) {
        return BigDecimal.valueOf(total)
            .multiply(BigDecimal.valueOf(100))
            .divide(BigDecimal.valueOf(limit), 2, RoundingMode.HALF_UP)
            .doubleValue();
    }
}
