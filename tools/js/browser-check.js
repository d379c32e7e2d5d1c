#!/usr/bin/env node
// Drives swarmtee's web page in the system's headless Chromium (playwright-core, never a downloaded
// browser) and prints what it observed as one JSON object on stdout; the Java test (WebPageBrowserIT)
// asserts on it. Usage:
//   node browser-check.js --url http://127.0.0.1:PORT/ --archive ID [--live ID] [--hostile TEXT]
//                         [--gateway https://bee.example] [--screenshot FILE] [--chromium /usr/bin/chromium] [--timeout-ms 20000]
// Exit 0 when the page could be driven (the JSON then tells what happened, "failure" included),
// 3 when the browser cannot be started.
'use strict';
const fs = require('fs');
const path = require('path');
const { args, launch } = require('./chromium');

const opt = args(process.argv.slice(2));
const executable = opt.chromium || '/usr/bin/chromium';
const timeout = Number(opt['timeout-ms'] || 20000);
if (!opt.url || !opt.archive) {
  console.error('browser-check: --url and --archive are required');
  process.exit(2);
}
const report = { dialogs: [], pageErrors: [], consoleErrors: [], cspViolations: [], steps: {} };

async function main() {
  const { context, close } = await launch('browser-check', executable, { width: 1360, height: 1000 });
  try {
    const page = context.pages()[0] || await context.newPage();
    page.setDefaultTimeout(timeout);
    page.on('dialog', async (d) => {
      report.dialogs.push({ type: d.type(), message: d.message() });
      await d.dismiss().catch(() => {});
    });
    page.on('pageerror', (e) => report.pageErrors.push(String(e && e.message || e)));
    page.on('console', (m) => {
      if (m.type() === 'error') report.consoleErrors.push(m.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        (window.__csp = window.__csp || []).push(`${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    report.browser = context.browser() ? context.browser().version() : null;
    report.codecs = await codecs(page, opt.url);

    await run('load', async () => {
      await page.goto(opt.url, { waitUntil: 'load' });
      await page.waitForFunction(() => window.__swarmtee && window.__swarmtee.polls > 0);
      // A marker that a reload would wipe: the "updates" step checks it is still there.
      await page.evaluate(() => { window.__loaded = Date.now(); });
      return { title: await page.title(), archives: await archiveRows(page) };
    });

    await run('archiveListed', async () => {
      const archive = page.locator('#archives tbody', { hasText: opt.archive });
      await archive.first().waitFor();
      // The page polls: the row turns "finalised" once the archiver finalised it, without a reload.
      await page.waitForFunction((id) => Array.from(document.querySelectorAll('#archives tbody'))
          .some((tb) => tb.rows[0].cells[0].textContent === id && tb.rows[0].cells[1].textContent.startsWith('finalised')),
      opt.archive);
      const cells = await archive.first().locator('tr').first().locator('td').allTextContents();
      const urls = await archive.first().locator('input').evaluateAll((inputs) => inputs.map((i) => i.value));
      return { cells, urls };
    });

    if (opt.hostile) {
      await run('hostile', async () => {
        await page.waitForFunction((text) => Array.from(document.querySelectorAll('#live tbody td.id'))
            .some((td) => td.textContent === text), opt.hostile);
        return page.evaluate((text) => ({
          shownAsText: Array.from(document.querySelectorAll('#live tbody td.id')).some((td) => td.textContent === text),
          imgElements: document.querySelectorAll('img').length,
          liveIds: Array.from(document.querySelectorAll('#live tbody td.id')).map((td) => td.textContent),
        }), opt.hostile);
      });
    }

    if (opt.live) {
      await run('live', async () => {
        const row = page.locator('#live tbody tr', { hasText: opt.live });
        await row.first().getByRole('button', { name: 'Play live' }).click();
        const start = await waitPlaying(page, 1.5);
        return Object.assign(start, await playerState(page));
      });
    }

    await run('archivePlay', async () => {
      const archive = page.locator('#archives tbody', { hasText: opt.archive });
      await archive.first().getByRole('button', { name: 'Play', exact: true }).click();
      await page.waitForFunction(() => {
        const v = document.getElementById('video');
        return v.currentTime > 3;
      });
      return playerState(page);
    });

    await run('seek', async () => {
      const target = await page.evaluate(() => {
        const v = document.getElementById('video');
        const t = v.duration / 2;
        v.currentTime = t;
        return t;
      });
      await page.waitForFunction((t) => {
        const v = document.getElementById('video');
        return !v.seeking && v.currentTime > t + 1 && v.currentTime < t + 8;
      }, target);
      return Object.assign({ target }, await playerState(page));
    });

    await run('clip', async () => {
      // "Clip from here", two seconds of playback, "to here": the page shows the clip's URL on swarmtee,
      // whose master answers with the window on every variant URI.
      await page.click('#clip-from');
      const from = await page.evaluate(() => document.getElementById('video').currentTime);
      await page.waitForFunction((f) => document.getElementById('video').currentTime > f + 2, from);
      await page.click('#clip-to');
      await page.locator('#clip-urls input').first().waitFor();
      const urls = await page.locator('#clip-urls input').evaluateAll((inputs) => inputs.map((i) => i.value));
      const master = await page.evaluate(async (u) => {
        const r = await fetch(u);
        return { status: r.status, text: await r.text() };
      }, urls[0]);
      return { window: await page.evaluate(() => document.getElementById('clip-window').textContent), urls, master };
    });

    await run('rendition', async () => {
      const options = await page.locator('#rendition option').evaluateAll((os) => os.map((o) => o.value));
      const pick = options[options.length - 1];
      await page.selectOption('#rendition', pick);
      await page.waitForFunction((p) => {
        const h = window.__swarmtee.hls;
        return h && String(h.currentLevel) === p && document.getElementById('video').currentTime > 0;
      }, pick);
      const before = await page.evaluate(() => document.getElementById('video').currentTime);
      await page.waitForFunction((b) => document.getElementById('video').currentTime > b + 1, before);
      return Object.assign({ options, picked: pick }, await playerState(page));
    });

    await run('updates', async () => {
      const polls = await page.evaluate(() => window.__swarmtee.polls);
      await page.waitForFunction((p) => window.__swarmtee.polls >= p + 1, polls);
      return {
        archives: await archiveRows(page),
        sameDocument: await page.evaluate(() => typeof window.__loaded === 'number'),
        navigations: await page.evaluate(() => performance.getEntriesByType('navigation').length),
        polls: await page.evaluate(() => window.__swarmtee.polls),
      };
    });

    if (opt.gateway) {
      await run('gateway', async () => {
        await page.fill('#gateway', opt.gateway);
        await page.dispatchEvent('#gateway', 'change');
        const archive = page.locator('#archives tbody', { hasText: opt.archive }).first();
        await page.waitForFunction(({ id, gw }) => Array.from(document.querySelectorAll('#archives tbody'))
            .some((tb) => tb.rows[0].cells[0].textContent === id
                && Array.from(tb.querySelectorAll('input')).some((i) => i.value.startsWith(gw + '/bzz/'))),
        { id: opt.archive, gw: opt.gateway });
        return {
          urls: await archive.locator('input').evaluateAll((inputs) => inputs.map((i) => i.value)),
          stored: await page.evaluate(() => localStorage.getItem('swarmtee.gateway')),
        };
      });
    }

    if (opt.screenshot) {
      fs.mkdirSync(path.dirname(opt.screenshot), { recursive: true });
      await page.screenshot({ path: opt.screenshot, fullPage: true });
      report.screenshot = opt.screenshot;
    }
    report.cspViolations = await page.evaluate(() => window.__csp || []);
    report.hlsErrors = await page.evaluate(() => window.__errors);
  } finally {
    await close();
  }
}

/** Runs one step; on failure records it and stops the remaining steps. */
async function run(name, step) {
  if (report.failure) return;
  const started = Date.now();
  try {
    report.steps[name] = await step();
    report.steps[name].ms = Date.now() - started;
  } catch (e) {
    report.failure = `${name}: ${e.message.split('\n')[0]}`;
  }
}

/** Archive rows as {id: [cell texts]}. */
function archiveRows(page) {
  return page.evaluate(() => {
    const out = {};
    for (const tbody of document.querySelectorAll('#archives tbody')) {
      const cells = Array.from(tbody.rows[0].cells).map((td) => td.textContent);
      out[cells[0]] = cells;
    }
    return out;
  });
}

async function waitPlaying(page, seconds) {
  const t0 = await page.evaluate(() => document.getElementById('video').currentTime);
  await page.waitForFunction(({ t0, s }) => document.getElementById('video').currentTime > t0 + s, { t0, s: seconds });
  return { from: t0 };
}

function playerState(page) {
  return page.evaluate(() => {
    const v = document.getElementById('video');
    const h = window.__swarmtee.hls;
    return {
      currentTime: v.currentTime,
      duration: isFinite(v.duration) ? v.duration : null,
      paused: v.paused,
      pdt: document.getElementById('pdt').textContent,
      position: document.getElementById('position').textContent,
      levels: h ? h.levels.map((l) => `${l.width}x${l.height}`) : [],
      currentLevel: h ? h.currentLevel : null,
      fatalErrors: window.__errors.filter((e) => e.fatal).length,
      errors: window.__errors.slice(),
      errorList: Array.from(document.querySelectorAll('#errors li')).map((li) => li.textContent),
    };
  });
}

/** What this Chromium says it can play through Media Source Extensions. */
async function codecs(page, url) {
  await page.goto(new URL('/ui/favicon.svg', url).href);
  return page.evaluate(() => {
    const types = {
      h264: 'video/mp4; codecs="avc1.42E01E"',
      h264High: 'video/mp4; codecs="avc1.64001f"',
      aac: 'audio/mp4; codecs="mp4a.40.2"',
      h264aac: 'video/mp4; codecs="avc1.42E01E,mp4a.40.2"',
      vp9: 'video/webm; codecs="vp9"',
      mp2t: 'video/mp2t; codecs="avc1.42E01E,mp4a.40.2"',
    };
    const out = {};
    for (const [k, t] of Object.entries(types)) out[k] = window.MediaSource ? MediaSource.isTypeSupported(t) : false;
    return out;
  });
}

main().then(() => {
  process.stdout.write(JSON.stringify(report) + '\n');
}, (e) => {
  report.failure = `driver: ${e && e.stack || e}`;
  process.stdout.write(JSON.stringify(report) + '\n');
});
