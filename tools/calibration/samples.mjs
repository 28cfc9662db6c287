// Synthetic texts written for this project, not taken from any data set. calibration.json stores each
// with its profile, exact token counts and estimates, so that the Java tests can check that ContentProfile
// and CalibratedEstimator reproduce the JavaScript results. The texts in other scripts also set the weights
// of the classes that the request data hardly contains (see fit.mjs).

export const SAMPLES = [
    {
        name: 'english-prose',
        text: 'The night train left the coast a little after ten. Most passengers slept, but two students '
            + 'argued quietly about whether the bridge ahead had been repaired in time for the winter storms.',
    },
    {
        name: 'english-list',
        text: 'Packing list for the weekend:\n\n1. Rain jacket and spare socks\n2. Two water bottles (1.5 L each)\n'
            + '3. Map of the northern trail, printed\n4. Snacks: dates, almonds and 200 g of dark chocolate\n',
    },
    {
        name: 'java-code',
        text: 'public final class RetryPolicy {\n    private final int maxAttempts;\n\n'
            + '    public RetryPolicy(int maxAttempts) {\n        if (maxAttempts < 1) {\n'
            + '            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);\n'
            + '        }\n        this.maxAttempts = maxAttempts;\n    }\n\n'
            + '    public boolean shouldRetry(int attempt, Throwable error) {\n'
            + '        return attempt < maxAttempts && !(error instanceof IllegalStateException);\n    }\n}\n',
    },
    {
        name: 'python-code',
        text: 'def moving_average(values, window=3):\n    """Average each run of `window` values."""\n'
            + '    if window <= 0:\n        raise ValueError(f"window must be positive, got {window}")\n'
            + '    return [sum(values[i:i + window]) / window for i in range(len(values) - window + 1)]\n',
    },
    {
        name: 'html-tailwind',
        text: '<section class="mx-auto max-w-5xl px-6 py-16 sm:py-24 lg:px-8">\n'
            + '  <div class="grid grid-cols-1 gap-8 md:grid-cols-3">\n'
            + '    <article class="rounded-2xl bg-white p-6 shadow-lg ring-1 ring-slate-900/5 hover:shadow-xl">\n'
            + '      <h3 class="text-lg font-semibold tracking-tight text-slate-900">Fast setup</h3>\n'
            + '      <p class="mt-2 text-sm leading-6 text-slate-600">Connect your account in under a minute.</p>\n'
            + '    </article>\n  </div>\n</section>\n',
    },
    {
        name: 'svg-path',
        text: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48" width="48" height="48">'
            + '<path fill="#0f766e" d="M24 3.5c-6.9 0-12.5 5.6-12.5 12.5 0 9.4 12.5 28.5 12.5 28.5S36.5 25.4 36.5 16'
            + 'c0-6.9-5.6-12.5-12.5-12.5zm0 17.25a4.75 4.75 0 1 1 0-9.5 4.75 4.75 0 0 1 0 9.5z"/>'
            + '<circle cx="37.2" cy="9.8" r="3.15" fill="#f59e0b"/></svg>',
    },
    {
        name: 'json',
        text: '{"requestId":"c2a9f1d4-5b7e-4e0a-9d3c-81f6b2e4a7c0","model":"example-model-8b","usage":'
            + '{"prompt_tokens":412,"completion_tokens":1290,"total_tokens":1702},"latencyMs":2315.4,'
            + '"tags":["batch","eu-west-1"],"cached":false}',
    },
    {
        name: 'markdown-table',
        text: '| Region | Requests | Error rate |\n|--------|---------:|-----------:|\n'
            + '| north  |   18,204 |      0.12% |\n| south  |    9,877 |      0.40% |\n| total  |   28,081 |      0.22% |\n',
    },
    {
        name: 'log-lines',
        text: '2025-03-14T09:26:53.589Z WARN  [worker-7] retrying upload id=77f0 attempt=3/5 backoffMs=1600\n'
            + '2025-03-14T09:26:55.190Z INFO  [worker-7] upload id=77f0 done bytes=1048576 elapsedMs=4113\n',
    },
    {
        name: 'url-and-base64',
        text: 'See https://example.com/docs/v2/tokens?lang=en&page=3#limits and the key '
            + 'dGhpcyBpcyBub3QgYSByZWFsIGtleSwganVzdCBmaWxsZXI= for the test account.',
    },
    {
        name: 'indentation-and-tabs',
        text: 'steps:\r\n\t- build\r\n\t- test\r\n        nested:\r\n            deep: true\r\n\r\n\r\nend   \t \n',
    },
    {
        name: 'french',
        text: 'Le marché ouvre à sept heures ; les pêcheurs y déposent leurs caisses de crevettes avant que la '
            + 'foule n’arrive. À midi, il ne reste presque plus rien, sauf quelques huîtres et beaucoup de bruit.',
    },
    {
        name: 'german',
        text: 'Die Brücke über den Fluss wird im Frühjahr für Fußgänger geöffnet. Bis dahin müssen Radfahrer '
            + 'den Umweg über die Südstraße nehmen, was ungefähr zwölf Minuten länger dauert.',
    },
    {
        name: 'vietnamese',
        text: 'Sáng nay trời mưa nhẹ, nên chúng tôi ở nhà đọc sách và nấu một nồi phở thật lớn. '
            + 'Buổi chiều, nắng lên và cả nhà đi dạo quanh hồ.',
    },
    {
        name: 'chinese',
        text: '今天早上下了一场小雨，我们决定在家里看书。中午雨停了，阳光从窗户照进来，'
            + '邻居的孩子们跑到院子里玩。晚上我们一起做饭，聊了很多关于旅行的计划。',
    },
    {
        name: 'japanese',
        text: '駅の近くに新しいパン屋ができました。朝七時に開くので、通勤の前にクロワッサンを買う人が多いです。'
            + '週末には行列ができることもあります。',
    },
    {
        name: 'korean',
        text: '오늘 아침에는 비가 조금 내렸지만 오후에는 날씨가 맑아졌다. 우리는 공원을 산책하고 '
            + '작은 카페에서 따뜻한 차를 마셨다.',
    },
    {
        name: 'russian',
        text: 'Вечером поезд прибыл в город с опозданием на сорок минут. На вокзале было холодно, '
            + 'и мы долго искали такси, пока не решили идти пешком до гостиницы.',
    },
    {
        name: 'arabic',
        text: 'افتتحت المكتبة العامة قاعة جديدة للقراءة هذا الأسبوع، وهي مفتوحة كل يوم من التاسعة صباحا '
            + 'حتى الثامنة مساء، ويمكن للطلاب حجز الطاولات مسبقا.',
    },
    {
        name: 'greek',
        text: 'Το πρωί ο καιρός ήταν συννεφιασμένος, αλλά το απόγευμα βγήκε ο ήλιος και πήγαμε βόλτα στο λιμάνι.',
    },
    {
        name: 'hindi',
        text: 'कल शाम को बारिश के बाद मौसम बहुत सुहावना हो गया, इसलिए हम सब छत पर बैठकर चाय पीते रहे।',
    },
    {
        name: 'emoji',
        text: 'Launch day 🚀🎉 thanks, team 👍🏽 — see you at the party 🥳 ❤️ 👨‍👩‍👧 ✅',
    },
    {
        name: 'combining-marks-and-lone-surrogate',
        text: 'Cafe\u0301 and nai\u0308ve, then a broken pair \uD83D here, and a control \u0007 bell.',
    },
]
