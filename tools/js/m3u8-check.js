#!/usr/bin/env node
// Parses an HLS playlist file with npm m3u8-parser (an independent implementation) and prints what it
// understood, one fact per line, so a Java test can compare it with what swarmtee meant to write.
// Usage: node m3u8-check.js <playlist.m3u8>
// m3u8-parser 7.2 does not know EXT-X-GAP; it is registered as a custom segment tag so that the output
// shows which segment the parser attached it to.
'use strict';
const fs = require('fs');
const { Parser } = require('m3u8-parser');

const parser = new Parser();
const messages = [];
parser.on('warn', (w) => messages.push('warn ' + w.message));
parser.addParser({ expression: /^#EXT-X-GAP$/, customType: 'gap', segment: true, dataParser: () => true });
parser.push(fs.readFileSync(process.argv[2], 'utf8'));
parser.end();
const m = parser.manifest;

const out = [];
if (m.playlists && m.playlists.length) {
  out.push('master variants=' + m.playlists.length);
  for (const p of m.playlists) {
    const a = p.attributes;
    out.push(['variant', p.uri, a.BANDWIDTH,
      a.RESOLUTION ? a.RESOLUTION.width + 'x' + a.RESOLUTION.height : '-',
      a.CODECS || '-', a['FRAME-RATE'] === undefined ? '-' : a['FRAME-RATE']].join(' '));
  }
} else {
  out.push('media version=' + m.version + ' targetDuration=' + m.targetDuration + ' mediaSequence=' +
    m.mediaSequence + ' playlistType=' + (m.playlistType || '-') + ' endList=' + (m.endList === true));
  for (const s of m.segments) {
    out.push(['segment', s.uri, s.duration.toFixed(3),
      'discontinuity=' + (s.discontinuity === true),
      'gap=' + (s.custom !== undefined && s.custom.gap === true),
      'pdt=' + (s.programDateTime === undefined ? '-' : s.programDateTime),
      'map=' + (s.map ? s.map.uri : '-')].join(' '));
  }
}
out.push(...messages);
process.stdout.write(out.join('\n') + '\n');
