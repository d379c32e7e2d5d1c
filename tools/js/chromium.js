// What the browser-driving scripts share: their --key value arguments and Debian's headless Chromium
// started through playwright-core (never a downloaded browser) in a throw-away profile.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

/** --key value pairs as an object; throws on a stray or valueless argument. */
function args(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`bad argument ${argv[i]}`);
    out[argv[i].slice(2)] = argv[i + 1];
  }
  return out;
}

/**
 * Starts headless Chromium; exits the process with 3 when it is missing or cannot start.
 * @return {{context, close: function(): Promise<void>}}
 */
async function launch(tool, executable, viewport) {
  if (!fs.existsSync(executable)) {
    console.error(`${tool}: no Chromium at ${executable} (apt-get install chromium chromium-driver)`);
    process.exit(3);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), `swarmtee-${tool}-`));
  let context;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: executable,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync',
        '--autoplay-policy=no-user-gesture-required'],
      viewport,
    });
  } catch (e) {
    console.error(`${tool}: cannot start ${executable}: ${e.message}`);
    process.exit(3);
  }
  return {
    context,
    close: async () => {
      await context.close().catch(() => {});
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

module.exports = { args, launch };
