#!/usr/bin/env node
// Loads one HLS master in a real player inside the system's headless Chromium (playwright-core, never a
// downloaded browser) and prints, as one JSON object on stdout, the renditions the player offers and
// whether it played. Players: Google's Shaka Player (npm shaka-player) or hls.js, both from
// tools/js/node_modules. The page is served under the master's own origin (a route the browser fulfils
// itself), so the player's requests are same-origin like on swarmtee's web page. Usage:
//   node player-check.js --url http://127.0.0.1:PORT/archive/ID/index.m3u8 --player shaka|hlsjs
//                        [--play-seconds 2] [--debug true] [--chromium /usr/bin/chromium] [--timeout-ms 30000]
// With --debug true Shaka's debug build runs and its messages about disabled streams and errors are
// reported under "log". --max-disabled-seconds sets Shaka's streaming.maxDisabledTime (default 30): how
// long it bans a variant after meeting an EXT-X-GAP segment in it; with --reoffer-timeout-ms the script
// then waits that long for every rendition offered at load to be offered again ("renditionsLater").
// Shaka's dropped-frames ABR rule is off: a loaded CI machine must not ban variants for slowness.
// Exit 0 when the page could be driven (the JSON then tells what happened, "failure" included),
// 3 when the browser cannot be started.
'use strict';
const fs = require('fs');
const path = require('path');
const { args, launch } = require('./chromium');

const opt = args(process.argv.slice(2));
const executable = opt.chromium || '/usr/bin/chromium';
const timeout = Number(opt['timeout-ms'] || 30000);
const playSeconds = Number(opt['play-seconds'] || 2);
const maxDisabledSeconds = opt['max-disabled-seconds'] === undefined ? null : Number(opt['max-disabled-seconds']);
const reofferTimeout = Number(opt['reoffer-timeout-ms'] || 0);
const scripts = {
  shaka: path.join(__dirname, 'node_modules/shaka-player/dist/shaka-player.compiled' +
      (opt.debug === 'true' ? '.debug.js' : '.js')),
  hlsjs: path.join(__dirname, 'node_modules/hls.js/dist/hls.min.js'),
};
if (!opt.url || !scripts[opt.player]) {
  console.error('player-check: --url and --player shaka|hlsjs are required');
  process.exit(2);
}
if (!fs.existsSync(scripts[opt.player])) {
  console.error(`player-check: ${scripts[opt.player]} is missing: run npm ci in tools/js`);
  process.exit(2);
}

const report = { player: opt.player, url: opt.url, pageErrors: [], playerErrors: [], log: [] };

// Runs in the page: loads the master and resolves with what the player offers.
const load = {
  shaka: async (url, maxDisabled) => {
    shaka.polyfill.installAll();
    if (shaka.log && shaka.log.setLevel) shaka.log.setLevel(shaka.log.Level.DEBUG);
    const video = document.getElementById('video');
    const player = new shaka.Player();
    player.configure({ abr: { advanced: { droppedFramesThreshold: 2 } } });
    if (maxDisabled !== null) player.configure({ streaming: { maxDisabledTime: maxDisabled } });
    await player.attach(video);
    player.addEventListener('error', (e) => window.__errors.push(`shaka ${e.detail.code}`));
    window.__renditions = () => player.getVariantTracks()
        .map((t) => ({ width: t.width, height: t.height, bandwidth: t.bandwidth, codecs: t.codecs }));
    await player.load(url);
    return { version: shaka.Player.version };
  },
  hlsjs: (url) => new Promise((resolve, reject) => {
    const video = document.getElementById('video');
    const hls = new Hls();
    hls.on(Hls.Events.ERROR, (_, d) => {
      window.__errors.push(`hls.js ${d.type} ${d.details} fatal=${d.fatal}`);
      if (d.fatal) reject(new Error(d.details));
    });
    window.__renditions = () => hls.levels
        .map((l) => ({ width: l.width, height: l.height, bandwidth: l.bitrate, codecs: l.codecSet || '' }));
    hls.on(Hls.Events.MANIFEST_PARSED, () => resolve({ version: Hls.version }));
    hls.loadSource(url);
    hls.attachMedia(video);
  }),
};

async function main() {
  const { context, close } = await launch('player-check', executable, { width: 640, height: 480 });
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(timeout);
    page.on('pageerror', (e) => report.pageErrors.push(String(e && e.message || e)));
    page.on('console', async (m) => {
      if (!/disabl|error|gap|missing/i.test(m.text())) return;
      // shaka.util.Error prints as its class name: add its code and data
      const details = await Promise.all(m.args().map((a) => a.evaluate(
          (v) => (v && typeof v === 'object' && 'code' in v ? ` code=${v.code} data=${JSON.stringify(v.data)}` : ''))
          .catch(() => '')));
      report.log.push((m.text() + details.join('')).slice(0, 400));
    });
    const pageUrl = new URL('/__player-check.html', opt.url).href;
    await page.route(pageUrl, (route) => route.fulfill({
      contentType: 'text/html',
      body: '<!doctype html><video id="video" muted></video><script>window.__errors = [];</script>',
    }));
    await page.goto(pageUrl);
    await page.addScriptTag({ path: scripts[opt.player] });
    report.version = (await page.evaluate(
        `(${load[opt.player]})(${JSON.stringify(opt.url)}, ${JSON.stringify(maxDisabledSeconds)})`)).version;
    report.renditions = await page.evaluate(() => window.__renditions());
    await page.evaluate(() => document.getElementById('video').play().catch(() => {}));
    await page.waitForFunction((s) => document.getElementById('video').currentTime > s, playSeconds);
    report.playedTo = await page.evaluate(() => document.getElementById('video').currentTime);
    // Renditions again after playing: a player may drop a variant once it saw its media.
    report.renditionsAfterPlay = await page.evaluate(() => window.__renditions());
    if (reofferTimeout > 0) {
      const started = Date.now();
      await page.waitForFunction((n) => window.__renditions().length >= n, report.renditions.length,
          { timeout: reofferTimeout }).catch(() => {});
      report.renditionsLater = await page.evaluate(() => window.__renditions());
      report.reofferedAfterMs = Date.now() - started;
    }
    report.playerErrors = await page.evaluate(() => window.__errors);
  } catch (e) {
    report.failure = String(e && e.message || e).split('\n')[0];
    try {
      report.playerErrors = await context.pages()[0].evaluate(() => window.__errors || []);
    } catch (ignored) {
      // the page is gone: the failure above says why
    }
  } finally {
    await close();
  }
}

main().then(() => {
  process.stdout.write(JSON.stringify(report) + '\n');
}, (e) => {
  report.failure = `driver: ${e && e.stack || e}`;
  process.stdout.write(JSON.stringify(report) + '\n');
});
