#!/usr/bin/env node
// Copies the npm-pinned hls.js build and its licence into the proxy's web root (run by the proxy
// module's Maven build in generate-resources: `node bundle-web.js <outputDirectory>/webroot`).
// If node_modules lacks the locked hls.js version, runs `npm ci` here first; once the packages are in
// npm's cache (any earlier `npm ci`) that works offline. No global install, no download of node.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

const out = process.argv[2];
if (!out) {
  console.error('usage: node bundle-web.js <output directory>');
  process.exit(2);
}
const here = __dirname;
const lock = JSON.parse(fs.readFileSync(path.join(here, 'package-lock.json'), 'utf8'));
const wanted = lock.packages['node_modules/hls.js'].version;

function installed() {
  try {
    return JSON.parse(fs.readFileSync(path.join(here, 'node_modules/hls.js/package.json'), 'utf8')).version;
  } catch (e) {
    return null;
  }
}

if (installed() !== wanted) {
  console.error(`bundle-web: hls.js ${wanted} not in tools/js/node_modules, running npm ci`);
  execFileSync('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
      { cwd: here, stdio: 'inherit' });
  if (installed() !== wanted) {
    console.error(`bundle-web: npm ci did not install hls.js ${wanted}`);
    process.exit(1);
  }
}

fs.mkdirSync(out, { recursive: true });
const dist = path.join(here, 'node_modules/hls.js');
fs.copyFileSync(path.join(dist, 'dist/hls.min.js'), path.join(out, 'hls.min.js'));
fs.copyFileSync(path.join(dist, 'LICENSE'), path.join(out, 'hls.js.LICENSE.txt'));
fs.writeFileSync(path.join(out, 'hls.js.version'), wanted + '\n');
console.log(`bundle-web: hls.js ${wanted} -> ${out}`);
