#!/usr/bin/env python3
"""The dashboard's tuning-job page in headless Chromium, several servers side by side.

    bench/dashboard-page.py --server before=http://localhost:18930 --server after=http://127.0.0.1:18931 \
        --jobs scale-100,scale-10000 --rounds 7

Each server must hold the same data (e.g. copies of the data directory DashboardScaleTest seeds, kept with
-Dvernier.dashboard.scaleData=DIR) and accept the access key in VERNIER_ACCESS_KEY_ID / VERNIER_SECRET_ACCESS_KEY.
One Chromium (Debian's, through its chromedriver, over the W3C WebDriver protocol: the standard library is
enough) signs in to every server (cookies do not tell ports apart: give each server a host name of its own,
e.g. 127.0.0.1 and localhost), then each round opens each job once on every server, the servers taking
turns in alternating order so that load drifts hit all of them. A first load per server and job warms the
JVM and the browser's cache and is not counted. Per load: time to first render (navigation start to every
chart drawn, the page's own mark), when the data arrived, the server's Server-Timing, and the page's
performance marks (one per chart) when it sets them.
"""
import argparse, json, os, statistics, subprocess, tempfile, time, urllib.request

SCRIPT = '''
const nav = performance.getEntriesByType('navigation')[0];
const data = performance.getEntriesByType('resource').find(r => /\\/api\\/tuning-jobs\\/[^/?]+$/.test(r.name));
return {rendered: Number(document.body.dataset.renderedAt), scripts: Math.round(nav.domContentLoadedEventEnd),
        asked: data && Math.round(data.requestStart), arrived: data && Math.round(data.responseEnd),
        gzip: data && data.encodedBodySize, raw: data && data.decodedBodySize,
        server: data ? data.serverTiming.map(s => s.name + (s.description ? '(' + s.description + ')' : '') + ' ' + Math.round(s.duration)).join(', ') : '',
        marks: performance.getEntriesByType('mark').map(m => m.name + ' ' + Math.round(m.startTime)).join(', ')};'''


class Driver:
    def __init__(self, port):
        self.base = 'http://127.0.0.1:%d' % port
        self.process = subprocess.Popen(['chromedriver', '--port=%d' % port], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                self.call('GET', '/status')
                break
            except OSError:
                time.sleep(0.1)
        profile = tempfile.mkdtemp(prefix='vernier-bench-chromium-')
        args = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--user-data-dir=' + profile,
                '--window-size=1400,2400']
        self.session = '/session/' + self.call('POST', '/session', {'capabilities': {'alwaysMatch': {
            'browserName': 'chrome', 'goog:chromeOptions': {'binary': '/usr/bin/chromium', 'args': args}}}})['sessionId']

    def call(self, method, path, body=None):
        request = urllib.request.Request(self.base + path, method=method, headers={'Content-Type': 'application/json'},
                                         data=None if body is None else json.dumps(body).encode())
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read())['value']

    def open(self, url):
        self.call('POST', self.session + '/url', {'url': url})

    def run(self, script):
        return self.call('POST', self.session + '/execute/sync', {'script': script, 'args': []})

    def close(self):
        try:
            self.call('DELETE', self.session)
        finally:
            self.process.terminate()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--server', action='append', required=True, help='LABEL=URL, repeated')
    parser.add_argument('--jobs', default='scale-100,scale-10000')
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--driver-port', type=int, default=9531)
    args = parser.parse_args()
    servers = [tuple(s.split('=', 1)) for s in args.server]
    driver = Driver(args.driver_port)
    results = {}
    try:
        for _, url in servers:   # sign in with the access key, as a person would
            driver.open(url + '/dashboard/login')
            driver.run("document.getElementById('accessKeyId').value = %s; document.getElementById('secretAccessKey').value = %s;"
                       "document.querySelector('form').submit();" % (json.dumps(os.environ['VERNIER_ACCESS_KEY_ID']),
                                                                      json.dumps(os.environ['VERNIER_SECRET_ACCESS_KEY'])))
            time.sleep(1)
        for round_no in range(args.rounds + 1):
            order = servers if round_no % 2 == 0 else list(reversed(servers))
            for job in args.jobs.split(','):
                for label, url in order:
                    driver.open(url + '/dashboard/tuning-jobs/' + job)
                    for _ in range(1200):
                        if driver.run('return document.body.dataset.rendered') == 'true':
                            break
                        time.sleep(0.05)
                    else:
                        raise SystemExit('%s: %s did not render' % (label, job))
                    m = driver.run(SCRIPT)
                    load = os.getloadavg()[0]
                    print('%-8s %-12s round %d  load %5.2f  rendered %5d ms  scripts %4d  data asked %4d in %4d ms  %d B gzip (%d raw)  server [%s]  marks [%s]'
                          % (label, job, round_no, load, m['rendered'], m['scripts'], m['asked'], m['arrived'], m['gzip'], m['raw'], m['server'], m['marks']), flush=True)
                    if round_no > 0:
                        results.setdefault((label, job), []).append(m)
    finally:
        driver.close()
    print()
    for (label, job), loads in results.items():
        rendered = [m['rendered'] for m in loads]
        arrived = [m['arrived'] for m in loads]
        print('%-8s %-12s first render median %d ms (min %d, max %d, %d loads); data in median %d ms; %d B gzip, %d raw'
              % (label, job, statistics.median(rendered), min(rendered), max(rendered), len(rendered), statistics.median(arrived),
                 loads[-1]['gzip'], loads[-1]['raw']))


if __name__ == '__main__':
    main()
