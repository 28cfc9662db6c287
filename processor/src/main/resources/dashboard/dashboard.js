// The processor's dashboard: reads one user's usage from the HTTP API and refreshes it by polling.
// Every value from the API goes into the page through textContent or setAttribute, never as HTML,
// because user ids, request ids and model names are chosen by callers.
'use strict';

(function () {
    const TOKEN_KEY = 'tokenMonitor.token';
    const USER_KEY = 'tokenMonitor.userId';
    const REFRESH_MS = 5000;
    const RECENT_LIMIT = 100;
    const SVG_NS = 'http://www.w3.org/2000/svg';

    const state = {
        token: null,
        role: null,       // 'admin', 'user', or 'unknown' when the server has no /whoami
        userId: null,
        timer: null,
        generation: 0,    // bumped on every user or token change, so late responses for the old one are dropped
    };

    const $ = (id) => document.getElementById(id);

    /** An HTTP response other than 2xx, with the API's error sentence when it sent one. */
    class ApiFailure extends Error {
        constructor(status, message) {
            super(message);
            this.status = status;
        }
    }

    async function api(path) {
        let response;
        try {
            response = await fetch(path, {
                headers: {'Authorization': 'Bearer ' + state.token, 'Accept': 'application/json'},
                cache: 'no-store',
            });
        } catch (e) {
            throw new ApiFailure(0, 'The processor cannot be reached: ' + e.message);
        }
        if (response.ok) {
            return response.json();
        }
        let message = response.statusText;
        try {
            const body = await response.json();
            if (body && typeof body.error === 'string') {
                message = body.error;
            }
        } catch (e) {
            // A body that is not JSON keeps the status text.
        }
        throw new ApiFailure(response.status, message);
    }

    /** Calls api() but returns null when the server does not have the endpoint (an older processor). */
    async function optionalApi(path) {
        try {
            return await api(path);
        } catch (e) {
            if (e instanceof ApiFailure && e.status === 404) {
                return null;
            }
            throw e;
        }
    }

    function showMessage(text, kind) {
        const message = $('message');
        message.textContent = text;
        message.className = 'message ' + (kind || 'error');
        message.hidden = false;
    }

    function clearMessage() {
        $('message').hidden = true;
        $('message').textContent = '';
    }

    /** Ends a message from the server with a full stop, so that a next sentence can follow. */
    function sentence(text) {
        return /[.!?]$/.test(text) ? text : text + '.';
    }

    function describeFailure(e, userId) {
        if (!(e instanceof ApiFailure)) {
            return 'Unexpected error: ' + sentence(e.message);
        }
        switch (e.status) {
            case 0:
                return sentence(e.message) + ' Retrying every 5 seconds.';
            case 401:
                return 'The token was rejected (401): ' + sentence(e.message) + ' Enter a valid token.';
            case 403:
                return 'This token may not read ' + (userId ? 'the data of user "' + userId + '"' : 'this data')
                    + ' (403): ' + sentence(e.message);
            case 503:
                return 'The data is temporarily unavailable (503): ' + sentence(e.message)
                    + ' Retrying every 5 seconds.';
            default:
                return 'The request failed (' + e.status + '): ' + sentence(e.message);
        }
    }

    const integer = new Intl.NumberFormat('en-US', {maximumFractionDigits: 0});

    function formatTokens(value) {
        return typeof value === 'number' ? integer.format(value) : '—';
    }

    function formatCost(dollars) {
        return dollars === null || dollars === undefined ? '—' : '$' + dollars;
    }

    function setText(id, text) {
        $(id).textContent = text;
    }

    function cell(row, text, className) {
        const td = document.createElement('td');
        td.textContent = text;
        if (className) {
            td.className = className;
        }
        row.appendChild(td);
        return td;
    }

    // ---- sign-in and user choice ----

    async function signIn(token) {
        stopPolling();
        state.generation++;
        state.token = token;
        sessionStorage.setItem(TOKEN_KEY, token);
        clearMessage();
        let whoami;
        try {
            whoami = await optionalApi('/api/v1/whoami');
        } catch (e) {
            showMessage(describeFailure(e), 'error');
            if (e instanceof ApiFailure && e.status === 401) {
                signOut(false);
            }
            return;
        }
        $('sign-in').hidden = true;
        $('who').hidden = false;
        if (whoami === null) {
            state.role = 'unknown';
            setText('signed-in-as', 'This server does not report token roles');
        } else {
            state.role = whoami.role;
            setText('signed-in-as', whoami.role === 'admin' ? 'Signed in as admin' : 'Signed in as ' + whoami.userId);
        }
        if (state.role === 'user') {
            $('user-picker').hidden = true;
            showUser(whoami.userId);
        } else {
            $('user-picker').hidden = false;
            $('user-hint').textContent = state.role === 'admin'
                ? 'Type the start of a user id to see matching users.'
                : 'Enter a user id.';
            const remembered = sessionStorage.getItem(USER_KEY);
            if (remembered) {
                $('user-input').value = remembered;
                showUser(remembered);
            }
        }
    }

    function signOut(clearMessages) {
        stopPolling();
        state.generation++;
        state.token = null;
        state.role = null;
        state.userId = null;
        sessionStorage.removeItem(TOKEN_KEY);
        sessionStorage.removeItem(USER_KEY);
        $('sign-in').hidden = false;
        $('who').hidden = true;
        $('user-picker').hidden = true;
        $('usage').hidden = true;
        $('token-input').value = '';
        if (clearMessages) {
            clearMessage();
        }
    }

    let suggestionGeneration = 0;

    async function suggestUsers(prefix) {
        if (state.role !== 'admin') {
            return;
        }
        const mine = ++suggestionGeneration;
        let userList;
        try {
            userList = await optionalApi('/api/v1/users?limit=20&prefix=' + encodeURIComponent(prefix));
        } catch (e) {
            return; // Suggestions are a convenience; the typed id still works.
        }
        if (mine !== suggestionGeneration || userList === null) {
            return;
        }
        const options = $('user-options');
        options.replaceChildren();
        for (const userId of userList.users) {
            const option = document.createElement('option');
            option.value = userId;
            options.appendChild(option);
        }
        $('user-hint').textContent = userList.truncated
            ? 'Showing the first ' + userList.users.length + ' matching users; type more to narrow.'
            : userList.users.length + ' matching users.';
    }

    function showUser(userId) {
        stopPolling();
        state.generation++;
        state.userId = userId;
        sessionStorage.setItem(USER_KEY, userId);
        clearMessage();
        refresh(state.generation);
    }

    // ---- polling ----

    function stopPolling() {
        if (state.timer !== null) {
            clearTimeout(state.timer);
            state.timer = null;
        }
    }

    async function refresh(generation) {
        const userId = state.userId;
        const base = '/api/v1/users/' + encodeURIComponent(userId);
        try {
            const usage = await api(base + '/usage');
            if (!usage.thresholdsPercent) {
                // Older processors return the thresholds only with the plan.
                const plan = await api(base + '/plan');
                usage.thresholdsPercent = plan.thresholdsPercent;
                usage.hardStopPercent = plan.hardStopPercent;
            }
            const period = encodeURIComponent(usage.period);
            const [daily, recent] = await Promise.all([
                optionalApi(base + '/usage/daily?period=' + period),
                api(base + '/requests?limit=' + RECENT_LIMIT),
            ]);
            if (generation !== state.generation) {
                return;
            }
            renderUsage(usage);
            renderDaily(daily);
            renderBreakdown('by-model', usage.byModel);
            $('by-provider-panel').hidden = !usage.byProvider;
            renderBreakdown('by-provider', usage.byProvider || {});
            renderRequests(recent.requests);
            setText('updated-at', new Date().toLocaleTimeString());
            $('usage').hidden = false;
            clearMessage();
        } catch (e) {
            if (generation !== state.generation) {
                return;
            }
            showMessage(describeFailure(e, userId), e instanceof ApiFailure && e.status === 503 ? 'warning' : 'error');
            if (e instanceof ApiFailure && e.status === 401) {
                signOut(false);
                return;
            }
            if (e instanceof ApiFailure && (e.status === 403 || e.status === 400)) {
                $('usage').hidden = true;
                return; // Retrying cannot help until the user or token changes.
            }
        }
        if (generation === state.generation) {
            state.timer = setTimeout(() => refresh(generation), REFRESH_MS);
        }
    }

    // ---- rendering ----

    function renderUsage(usage) {
        setText('user-id', usage.userId);
        setText('period', usage.period);
        setText('period-range', 'Period ' + usage.periodStart + ' to ' + usage.periodEnd
            + (usage.timeZone ? ' (plan time zone ' + usage.timeZone + ')' : ''));
        setText('total-tokens', formatTokens(usage.totalTokens));
        setText('requests', formatTokens(usage.requests));
        setText('limit', formatTokens(usage.limit));
        setText('remaining-tokens', formatTokens(usage.remainingTokens));
        setText('cost', formatCost(usage.costDollars));
        setText('unpriced', usage.unpricedRequests > 0
            ? usage.unpricedRequests + ' requests without a known price are not included' : '');
        setText('percent-used', usage.percentUsed.toFixed(2) + ' %');
        renderProgress(usage);
    }

    function renderProgress(usage) {
        const bar = $('progress');
        const fill = $('progress-fill');
        const percent = usage.percentUsed;
        const hardStop = usage.hardStopPercent === null || usage.hardStopPercent === undefined
            ? null : usage.hardStopPercent;
        // The bar spans 0 to the limit, or to the hard stop when that lies above the limit.
        const scale = Math.max(100, hardStop === null ? 0 : hardStop);
        const position = (value) => Math.min(100, Math.max(0, value * 100 / scale)) + '%';
        fill.style.width = position(percent);
        bar.setAttribute('aria-valuenow', String(Math.min(100, percent)));
        const alerted = new Set(usage.alertedThresholds || []);
        const thresholds = usage.thresholdsPercent || [];
        fill.className = 'progress-fill' + (percent >= 100 ? ' over' : thresholds.some((t) => percent >= t) ? ' warn' : '');

        for (const old of bar.querySelectorAll('.mark')) {
            old.remove();
        }
        const marks = thresholds.map((t) => ({percent: t, kind: alerted.has(t) ? 'alerted' : 'threshold'}));
        if (hardStop !== null) {
            marks.push({percent: hardStop, kind: 'hard-stop'});
        }
        for (const mark of marks) {
            const element = document.createElement('div');
            element.className = 'mark ' + mark.kind;
            element.style.left = position(mark.percent);
            element.setAttribute('data-testid', 'threshold-mark');
            element.setAttribute('data-percent', String(mark.percent));
            element.title = (mark.kind === 'hard-stop' ? 'Hard stop at ' : 'Alert at ') + mark.percent + ' %'
                + (mark.kind === 'alerted' ? ' (alerted)' : '');
            const label = document.createElement('span');
            label.textContent = (mark.kind === 'hard-stop' ? 'stop ' : '') + mark.percent + '%';
            element.appendChild(label);
            bar.appendChild(element);
        }
    }

    function renderDaily(daily) {
        const chart = $('daily-chart');
        const note = $('daily-note');
        chart.replaceChildren();
        if (daily === null) {
            note.textContent = 'This server does not provide daily usage.';
            note.hidden = false;
            return;
        }
        note.hidden = true;
        const days = daily.days;
        const width = 720;
        const height = 200;
        const left = 56;
        const bottom = 24;
        const top = 8;
        const plotHeight = height - bottom - top;
        const max = Math.max(1, ...days.map((d) => d.totalTokens));
        const step = (width - left) / Math.max(1, days.length);

        const svg = document.createElementNS(SVG_NS, 'svg');
        svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
        svg.setAttribute('role', 'img');
        svg.setAttribute('aria-label', 'Tokens per day from ' + (days.length ? days[0].date : '') + ' to '
            + (days.length ? days[days.length - 1].date : ''));
        svg.appendChild(svgElement('line', {x1: left, y1: top, x2: left, y2: top + plotHeight, class: 'axis'}));
        svg.appendChild(svgElement('line',
            {x1: left, y1: top + plotHeight, x2: width, y2: top + plotHeight, class: 'axis'}));
        svg.appendChild(svgText(formatTokens(max), left - 4, top + 10, 'end'));
        svg.appendChild(svgText('0', left - 4, top + plotHeight, 'end'));

        const labelEvery = Math.ceil(days.length / 8);
        days.forEach((day, i) => {
            const barHeight = Math.round(plotHeight * day.totalTokens / max);
            const bar = svgElement('rect', {
                x: left + i * step + 1, y: top + plotHeight - barHeight,
                width: Math.max(1, step - 2), height: barHeight, class: 'bar',
                'data-testid': 'daily-bar', 'data-date': day.date, 'data-tokens': day.totalTokens,
            });
            const title = document.createElementNS(SVG_NS, 'title');
            title.textContent = day.date + ': ' + formatTokens(day.totalTokens) + ' tokens, '
                + formatTokens(day.requests) + ' requests';
            bar.appendChild(title);
            svg.appendChild(bar);
            if (i % labelEvery === 0) {
                svg.appendChild(svgText(day.date.slice(5), left + i * step + step / 2, height - 6, 'middle'));
            }
        });
        chart.appendChild(svg);
    }

    function svgElement(name, attributes) {
        const element = document.createElementNS(SVG_NS, name);
        for (const [key, value] of Object.entries(attributes)) {
            element.setAttribute(key, String(value));
        }
        return element;
    }

    function svgText(text, x, y, anchor) {
        const element = svgElement('text', {x: x, y: y, 'text-anchor': anchor, class: 'tick'});
        element.textContent = text;
        return element;
    }

    function renderBreakdown(tbodyId, totalsByName) {
        const tbody = $(tbodyId);
        tbody.replaceChildren();
        const entries = Object.entries(totalsByName).sort((a, b) => b[1].totalTokens - a[1].totalTokens);
        for (const [name, totals] of entries) {
            const row = document.createElement('tr');
            row.setAttribute('data-name', name);
            cell(row, name);
            cell(row, formatTokens(totals.requests), 'number');
            cell(row, formatTokens(totals.totalTokens), 'number').setAttribute('data-testid', 'breakdown-tokens');
            cell(row, formatCost(totals.costDollars), 'number');
            tbody.appendChild(row);
        }
    }

    function renderRequests(requests) {
        const tbody = $('recent-requests');
        tbody.replaceChildren();
        for (const request of requests) {
            const row = document.createElement('tr');
            row.setAttribute('data-testid', 'request-row');
            cell(row, request.requestId, 'id');
            const time = cell(row, new Date(request.timestamp).toLocaleString());
            time.title = request.timestamp;
            cell(row, request.model);
            cell(row, request.provider || '—');
            cell(row, formatTokens(request.promptTokens), 'number');
            cell(row, formatTokens(request.completionTokens), 'number');
            cell(row, formatTokens(request.totalTokens), 'number');
            const source = cell(row, request.tokenSource);
            if (request.estimator) {
                source.title = 'Estimator: ' + request.estimator;
            }
            cell(row, formatCost(request.costDollars), 'number');
            tbody.appendChild(row);
        }
    }

    // ---- wiring ----

    document.addEventListener('DOMContentLoaded', () => {
        $('token-form').addEventListener('submit', (event) => {
            event.preventDefault();
            const token = $('token-input').value.trim();
            if (token) {
                signIn(token);
            }
        });
        $('user-form').addEventListener('submit', (event) => {
            event.preventDefault();
            const userId = $('user-input').value.trim();
            if (userId) {
                showUser(userId);
            }
        });
        let typingTimer = null;
        $('user-input').addEventListener('input', () => {
            clearTimeout(typingTimer);
            typingTimer = setTimeout(() => suggestUsers($('user-input').value.trim()), 250);
        });
        $('user-input').addEventListener('focus', () => suggestUsers($('user-input').value.trim()));
        $('sign-out').addEventListener('click', () => signOut(true));

        const saved = sessionStorage.getItem(TOKEN_KEY);
        if (saved) {
            signIn(saved);
        }
    });
})();
