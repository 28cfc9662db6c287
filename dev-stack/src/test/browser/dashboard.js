// Loads the processor's dashboard in Debian's Chromium, signs in with a token, and checks that the numbers
// shown equal the HTTP API's responses for the same user. Saves a screenshot of the admin's view.
//
// Usage: node dashboard.js --url http://127.0.0.1:PORT/ --admin-token TOKEN --user user-1
//            [--user-token TOKEN] --screenshot FILE [--chromium /usr/bin/chromium]
// Prints one JSON object with the numbers read from the page; exits 1 with a message on stderr when a
// number differs or the page does not show the data within the time limit.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {chromium} = require('playwright-core');

const WAIT_MS = 30000;

// Debian's Chromium as root in a closed network: no sandbox (root), no GPU, and no background
// connections, which this machine's network would refuse.
const CHROMIUM_FLAGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

function parseArguments(argv) {
    const options = {chromium: '/usr/bin/chromium'};
    for (let i = 0; i < argv.length; i += 2) {
        const name = argv[i].replace(/^--/, '').replace(/-([a-z])/g, (_, c) => c.toUpperCase());
        options[name] = argv[i + 1];
    }
    for (const required of ['url', 'adminToken', 'user', 'screenshot']) {
        if (!options[required]) {
            throw new Error('Missing option --' + required.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()));
        }
    }
    return options;
}

async function apiGet(baseUrl, token, apiPath) {
    const response = await fetch(new URL(apiPath, baseUrl), {headers: {Authorization: 'Bearer ' + token}});
    const text = await response.text();
    return {status: response.status, body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text};
}

function expectEqual(actual, expected, what) {
    if (actual !== expected) {
        throw new Error(what + ': the page shows ' + JSON.stringify(actual) + ', expected '
            + JSON.stringify(expected));
    }
}

/** Reads a number the page formats with thousands separators, or null for the dash shown for no value. */
function parseShown(text) {
    const trimmed = text.trim();
    if (trimmed === '—') {
        return null;
    }
    return Number(trimmed.replace(/[$,%\s]/g, ''));
}

async function shownText(page, testId) {
    return (await page.getByTestId(testId).first().textContent()).trim();
}

/** Signs in and, when the page offers a user picker, picks the user; then waits for the numbers. */
async function openDashboard(page, options, token, userId) {
    await page.goto(options.url);
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('token-submit').click();
    const picker = page.getByTestId('user-input');
    const usage = page.getByTestId('total-tokens');
    await Promise.race([
        picker.waitFor({state: 'visible', timeout: WAIT_MS}),
        usage.waitFor({state: 'visible', timeout: WAIT_MS}),
    ]);
    if (await picker.isVisible()) {
        await picker.fill(userId);
        await page.getByTestId('user-submit').click();
    }
    await page.waitForFunction((expected) => {
        const shown = document.querySelector('[data-testid="user-id"]');
        const total = document.querySelector('[data-testid="total-tokens"]');
        return shown && shown.textContent === expected && total && total.textContent.trim() !== '';
    }, userId, {timeout: WAIT_MS});
}

/** Compares every number the page shows for one user with the API's responses; returns what was read. */
async function checkNumbers(page, options, token, userId) {
    const base = '/api/v1/users/' + encodeURIComponent(userId);
    const usage = (await apiGet(options.url, token, base + '/usage')).body;
    const thresholds = usage.thresholdsPercent
        || (await apiGet(options.url, token, base + '/plan')).body.thresholdsPercent;
    const recent = (await apiGet(options.url, token, base + '/requests?limit=100')).body;
    const daily = await apiGet(options.url, token, base + '/usage/daily?period=' + encodeURIComponent(usage.period));

    const shown = {
        userId: await shownText(page, 'user-id'),
        period: await shownText(page, 'period'),
        totalTokens: parseShown(await shownText(page, 'total-tokens')),
        requests: parseShown(await shownText(page, 'requests')),
        limit: parseShown(await shownText(page, 'limit')),
        remainingTokens: parseShown(await shownText(page, 'remaining-tokens')),
        percentUsed: parseShown(await shownText(page, 'percent-used')),
        cost: await shownText(page, 'cost'),
        thresholdMarks: await page.getByTestId('threshold-mark').evaluateAll(
            (marks) => marks.map((mark) => Number(mark.getAttribute('data-percent')))),
        requestRows: await page.getByTestId('request-row').count(),
        firstRequestId: await page.getByTestId('request-row').first().locator('td').first().textContent(),
        byModel: await page.locator('[data-testid="by-model"] tbody tr').evaluateAll((rows) => rows.map(
            (row) => [row.getAttribute('data-name'), row.children[2].textContent])),
        dailyBars: await page.getByTestId('daily-bar').evaluateAll(
            (bars) => bars.map((bar) => [bar.getAttribute('data-date'), Number(bar.getAttribute('data-tokens'))])),
    };

    expectEqual(shown.userId, usage.userId, 'user id');
    expectEqual(shown.period, usage.period, 'period');
    expectEqual(shown.totalTokens, usage.totalTokens, 'tokens used');
    expectEqual(shown.requests, usage.requests, 'requests');
    expectEqual(shown.limit, usage.limit, 'limit');
    expectEqual(shown.remainingTokens, usage.remainingTokens, 'remaining tokens');
    expectEqual(shown.percentUsed, usage.percentUsed, 'percent used');
    expectEqual(shown.cost, usage.costDollars === null ? '—' : '$' + usage.costDollars, 'estimated cost');
    expectEqual(JSON.stringify(shown.thresholdMarks.slice(0, thresholds.length)), JSON.stringify(thresholds),
        'threshold marks');
    expectEqual(shown.requestRows, recent.requests.length, 'rows of the recent requests table');
    expectEqual(shown.firstRequestId, recent.requests[0].requestId, 'newest request id');
    const modelTokens = Object.fromEntries(shown.byModel.map(([name, tokens]) => [name, parseShown(tokens)]));
    expectEqual(Object.keys(modelTokens).length, Object.keys(usage.byModel).length, 'models in the breakdown');
    for (const [model, totals] of Object.entries(usage.byModel)) {
        expectEqual(modelTokens[model], totals.totalTokens, 'tokens of model ' + model);
    }
    if (daily.status === 200) {
        expectEqual(JSON.stringify(shown.dailyBars),
            JSON.stringify(daily.body.days.map((day) => [day.date, day.totalTokens])), 'daily chart');
    } else {
        expectEqual(shown.dailyBars.length, 0, 'daily bars without a daily endpoint');
    }
    shown.dailyEndpointStatus = daily.status;
    return shown;
}

/** Signs in and picks the user without waiting for data, for responses that are errors. */
async function signInAndPick(page, options, userId) {
    await page.goto(options.url);
    await page.getByTestId('token-input').fill(options.adminToken);
    await page.getByTestId('token-submit').click();
    const picker = page.getByTestId('user-input');
    await picker.waitFor({state: 'visible', timeout: WAIT_MS});
    await picker.fill(userId);
    await page.getByTestId('user-submit').click();
}

/**
 * Replaces the usage response with an error status and checks the message the page shows. The browser
 * intercepts the request, so this works whatever the server's access control does.
 */
async function checkErrorStatus(context, options, status) {
    const page = await context.newPage();
    await page.route((url) => url.pathname.endsWith('/usage'), (route) => route.fulfill({
        status: status,
        headers: status === 503 ? {'Retry-After': '1'} : {},
        contentType: 'application/json',
        body: JSON.stringify({status: status, error: 'Injected error ' + status, parameter: null}),
    }));
    await signInAndPick(page, options, options.user);
    const message = page.getByTestId('message');
    await message.waitFor({state: 'visible', timeout: WAIT_MS});
    const text = (await message.textContent()).trim();
    if (!text.includes('(' + status + ')') || !text.includes('Injected error ' + status)) {
        throw new Error('A ' + status + ' response should show its status and error, but the page shows: ' + text);
    }
    if (status === 401 && !(await page.getByTestId('token-input').isVisible())) {
        throw new Error('A 401 response should bring back the token form');
    }
    if (status === 403 && (await page.getByTestId('total-tokens').isVisible())) {
        throw new Error('A 403 response should hide the usage of the user');
    }
    await page.close();
    return text;
}

/** Adds a request whose id and model are HTML to the API's response and checks that the page shows them as text. */
async function checkValuesAreEscaped(context, options) {
    const page = await context.newPage();
    const hostileId = '<img src=x onerror="window.injected=1">';
    const hostileModel = '<b id="injected-model">model</b>';
    await page.route((url) => url.pathname.endsWith('/requests'), async (route) => {
        const response = await route.fetch();
        const body = await response.json();
        body.requests.unshift({...body.requests[0], requestId: hostileId, model: hostileModel});
        await route.fulfill({response: response, json: body});
    });
    await signInAndPick(page, options, options.user);
    const firstRow = page.getByTestId('request-row').first();
    await firstRow.waitFor({state: 'visible', timeout: WAIT_MS});
    expectEqual(await firstRow.locator('td').nth(0).textContent(), hostileId, 'request id shown as text');
    expectEqual(await firstRow.locator('td').nth(2).textContent(), hostileModel, 'model shown as text');
    expectEqual(await page.locator('#recent-requests img, #injected-model').count(), 0, 'elements made from data');
    expectEqual(await page.evaluate(() => window.injected), undefined, 'script run from data');
    await page.close();
    return true;
}

/** When the server rejects unknown tokens, checks that the page shows a 401 message. */
async function checkRejectedToken(page, options) {
    const probe = await apiGet(options.url, 'not-a-valid-token', '/api/v1/whoami');
    if (probe.status !== 401) {
        return {checked: false, whoamiStatus: probe.status};
    }
    await page.goto(options.url);
    await page.getByTestId('token-input').fill('not-a-valid-token');
    await page.getByTestId('token-submit').click();
    await page.getByTestId('message').waitFor({state: 'visible', timeout: WAIT_MS});
    const message = await shownText(page, 'message');
    if (!message.includes('401')) {
        throw new Error('An unknown token should show a 401 message, but the page shows: ' + message);
    }
    return {checked: true, message: message};
}

async function main() {
    const options = parseArguments(process.argv.slice(2));
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: options.chromium,
        headless: true,
        args: CHROMIUM_FLAGS,
        viewport: {width: 1280, height: 900},
    });
    const result = {};
    try {
        const admin = await context.newPage();
        const pageErrors = [];
        admin.on('pageerror', (error) => pageErrors.push(error.message));
        await openDashboard(admin, options, options.adminToken, options.user);
        result.admin = await checkNumbers(admin, options, options.adminToken, options.user);
        await admin.screenshot({path: options.screenshot, fullPage: true});

        if (options.userToken) {
            // A new page has an empty sessionStorage, so it starts at the sign-in form.
            const user = await context.newPage();
            user.on('pageerror', (error) => pageErrors.push(error.message));
            await openDashboard(user, options, options.userToken, options.user);
            result.user = await checkNumbers(user, options, options.userToken, options.user);
            result.userSawPicker = await user.getByTestId('user-input').isVisible();
        }
        result.rejectedToken = await checkRejectedToken(await context.newPage(), options);
        result.errorMessages = {};
        for (const status of [401, 403, 503]) {
            result.errorMessages[status] = await checkErrorStatus(context, options, status);
        }
        result.escaped = await checkValuesAreEscaped(context, options);
        if (pageErrors.length > 0) {
            throw new Error('The page raised script errors: ' + pageErrors.join('; '));
        }
    } finally {
        await context.close();
        fs.rmSync(userDataDir, {recursive: true, force: true});
    }
    process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((error) => {
    process.stderr.write('Dashboard check failed: ' + (error.stack || error.message) + '\n');
    process.exit(1);
});
