#!/usr/bin/env node
// Prints the Swarm /bytes reference (redundancy level 0, unencrypted) of each file named on the
// command line, one "<64 hex>  <file>" line per file, computed by @fairdatasociety/bmt-js — an
// implementation independent of swarmtee's Java one, which the tee tests cross-check against.
// Without arguments it hashes stdin and prints only the reference.
'use strict';
const fs = require('fs');

let bmt;
try {
  bmt = require('@fairdatasociety/bmt-js');
} catch (e) {
  console.error('bmt-hash: @fairdatasociety/bmt-js is not installed in tools/js: run bash .ci/install.sh');
  process.exit(2);
}

function reference(bytes) {
  return Buffer.from(bmt.makeChunkedFile(new Uint8Array(bytes)).address()).toString('hex');
}

const files = process.argv.slice(2);
if (files.length === 0) {
  process.stdout.write(reference(fs.readFileSync(0)) + '\n');
} else {
  for (const file of files) {
    process.stdout.write(reference(fs.readFileSync(file)) + '  ' + file + '\n');
  }
}
