// swarmtee's web page: live streams, archives and an hls.js player. Reads only the public JSON API
// (/api/info, /api/streams, /api/archives) and polls it. Everything shown comes from data that
// publishers choose (stream ids) and is therefore built with createElement/textContent, never innerHTML.
'use strict';

(function () {
  const GATEWAY_KEY = 'swarmtee.gateway';
  const $ = (id) => document.getElementById(id);

  // Test and debugging hooks: every hls.js error event, and the player's state.
  window.__errors = [];
  window.__swarmtee = { hls: null, playing: null, polls: 0 };

  let info = { playbackPrefix: '/stream/', archive: false, gateway: null, pollSeconds: 3 };
  let liveData = [];
  let archiveData = [];
  let archivesAvailable = true;

  // ---------- DOM helpers (no innerHTML anywhere) ----------

  /** Element with properties (set as DOM properties, so never parsed as HTML) and children (text or nodes). */
  function el(tag, props, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined) continue;
      if (k === 'class') e.className = v;
      else if (k === 'dataset') Object.assign(e.dataset, v);
      else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
      else e[k] = v;
    }
    for (const c of children) {
      if (c !== null && c !== undefined && c !== false) e.append(c); // strings become text nodes
    }
    return e;
  }

  function absolute(path) {
    return new URL(path, window.location.href).href;
  }

  /** A read-only URL field with a copy button. */
  function urlField(label, url) {
    const input = el('input', { type: 'text', readOnly: true, value: url, title: url, spellcheck: false });
    input.addEventListener('focus', () => input.select());
    const button = el('button', { type: 'button', textContent: 'copy', title: 'copy to the clipboard' });
    button.addEventListener('click', () => copy(input, button));
    return el('div', { class: 'url' }, el('span', {}, label), input, button);
  }

  function copy(input, button) {
    const done = () => {
      button.textContent = 'copied';
      setTimeout(() => { button.textContent = 'copy'; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, () => { input.select(); });
    } else {
      input.select(); // outside a secure context the clipboard API is absent: leave it selected for Ctrl+C
      try {
        if (document.execCommand('copy')) done();
      } catch (e) { /* selection stays for a manual copy */ }
    }
  }

  function duration(seconds) {
    if (typeof seconds !== 'number' || !isFinite(seconds)) return '–';
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    const r = String(s % 60).padStart(2, '0');
    return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${r}` : `${m}:${r}`;
  }

  function bytes(n) {
    if (typeof n !== 'number') return '–';
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return `${v.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
  }

  function time(iso) {
    if (!iso) return '–';
    const d = new Date(iso);
    return isNaN(d) ? String(iso) : d.toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' });
  }

  /** The gateway base URL if it is an http(s) URL, without a trailing slash; null otherwise. */
  function gateway() {
    const raw = $('gateway').value.trim();
    if (!raw) return null;
    try {
      const u = new URL(raw);
      return u.protocol === 'http:' || u.protocol === 'https:' ? u.href.replace(/\/+$/, '') : null;
    } catch (e) {
      return null;
    }
  }

  // ---------- tables, updated in place row by row ----------

  /**
   * Makes the keyed children of container (rows or row groups carrying data-key) match items, in order:
   * an element whose item did not change is kept as it is (so a selection in its URL field survives),
   * others are rendered anew; non-keyed children (a thead) stay first.
   */
  function sync(container, items, key, render) {
    const old = new Map();
    for (const e of Array.from(container.children)) {
      if (e.dataset.key !== undefined) old.set(e.dataset.key, e);
    }
    let previous = null;
    for (const item of items) {
      const k = key(item);
      const signature = JSON.stringify(item);
      let e = old.get(k);
      if (!e || e.dataset.signature !== signature) {
        const fresh = render(item);
        fresh.dataset.key = k;
        fresh.dataset.signature = signature;
        if (e) e.replaceWith(fresh);
        e = fresh;
      }
      old.delete(k);
      const want = previous ? previous.nextSibling : container.querySelector(':scope > [data-key]');
      if (want !== e) container.insertBefore(e, want);
      previous = e;
    }
    for (const e of old.values()) e.remove();
  }

  function renderLive() {
    const rows = liveData.map((s) => ({ id: s.id, playlist: s.playlist, firstSeen: s.firstSeen, seenBy: s.seenBy }));
    for (const a of archiveData) {
      if (a.state === 'live' && !rows.some((r) => r.id === a.id)) {
        rows.push({ id: a.id, playlist: info.playbackPrefix + encodeURIComponent(a.id) + '.m3u8',
          firstSeen: a.start, seenBy: ['archiver'] });
      }
    }
    sync($('live').tBodies[0], rows, (r) => r.id, (r) => el('tr', {},
      el('td', { class: 'id' }, r.id),
      el('td', {}, (r.seenBy || []).join(', ')),
      el('td', { class: 'time', title: r.firstSeen || '' }, time(r.firstSeen)),
      el('td', {}, urlField('swarmtee', absolute(r.playlist))),
      el('td', {}, el('button', { type: 'button', class: 'play', textContent: 'Play live',
        onclick: () => play('live', r.id, r.playlist) }))));
    $('live-empty').classList.toggle('hidden', rows.length > 0);
  }

  function renderArchives() {
    const gw = gateway();
    const rows = archiveData.map((a) => Object.assign({}, a, { gw }));
    sync($('archives'), rows, (a) => a.id, (a) => {
      const playlist = '/archive/' + encodeURIComponent(a.id) + '/index.m3u8';
      const sessions = Array.isArray(a.sessions) ? a.sessions.length : 0;
      const segments = a.segments || {};
      const urls = el('td', { colSpan: 9, class: 'urls' }, urlField('swarmtee', absolute(playlist)));
      if (a.master) {
        urls.append(a.gw ? urlField('Bee gateway', a.gw + (a.masterPath || `/bzz/${a.master}/`))
          : el('div', { class: 'muted' }, 'set a Bee gateway above for the URL of this archive on Swarm'));
      }
      if (a.feedManifest) {
        urls.append(a.gw ? urlField('feed', `${a.gw}/bzz/${a.feedManifest}/`) : urlField('feed manifest', a.feedManifest));
      }
      return el('tbody', { class: 'archive' },
        el('tr', {},
          el('td', { class: 'id' }, a.id),
          el('td', {}, el('span', { class: 'badge ' + (a.state || '') }, a.state || '?'),
            sessions > 1 ? el('div', { class: 'muted' }, `${sessions} sessions`) : null),
          el('td', { class: 'time', title: a.start || '' }, time(a.start)),
          el('td', { class: 'num' }, duration(a.duration)),
          el('td', {}, (a.renditions || []).join(', ')),
          el('td', { class: 'num' }, `${segments.archived ?? '–'} / ${segments.lost ?? '–'}`),
          el('td', { class: 'num' }, bytes(a.bytes)),
          el('td', { class: 'ref' },
            a.master ? el('div', { title: 'Swarm reference of the archive master' }, a.master)
              : el('span', { class: 'muted' }, 'not uploaded yet'),
            a.master && a.masterFinal === false ? el('div', { class: 'muted' }, 'live copy, refreshed') : null,
            a.feedManifest ? el('div', { class: 'muted', title: 'feed manifest' }, 'feed ', a.feedManifest) : null),
          el('td', {}, el('button', { type: 'button', class: 'play', textContent: 'Play',
            onclick: () => play('archive', a.id, playlist) }))),
        el('tr', { class: 'details' }, urls));
    });
    $('archives-empty').textContent = archivesAvailable ? 'No archive yet.' : 'Archiving is off on this server.';
    $('archives-empty').classList.toggle('hidden', rows.length > 0);
  }

  // ---------- polling the JSON API ----------

  async function getJson(path) {
    const resp = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (resp.status === 404) return null;
    if (!resp.ok) throw new Error(`${path}: HTTP ${resp.status}`);
    return resp.json();
  }

  async function poll() {
    try {
      const [streams, archives] = await Promise.all([getJson('/api/streams'),
        info.archive ? getJson('/api/archives') : Promise.resolve(null)]);
      liveData = streams && Array.isArray(streams.streams) ? streams.streams : [];
      archivesAvailable = Array.isArray(archives);
      archiveData = archivesAvailable ? archives : [];
      const note = streams ? `listed for ${streams.windowSeconds} s after they were last seen` +
        (streams.upstreamStatus === 'unavailable' ? '; the upstream /status is unreachable' : '') : '';
      $('live-note').textContent = note;
      renderLive();
      renderArchives();
      window.__swarmtee.polls++;
      status(`updated ${new Date().toLocaleTimeString()}`, false);
    } catch (e) {
      status(`cannot read the API: ${e.message}`, true);
    } finally {
      setTimeout(poll, Math.max(1, info.pollSeconds || 3) * 1000);
    }
  }

  function status(text, error) {
    $('status').textContent = text;
    $('status').classList.toggle('error', error);
  }

  // ---------- the player ----------

  let hls = null;
  let frag = null;

  function showError(text, fatal) {
    $('errors').append(el('li', { class: fatal ? 'fatal' : 'nonfatal' }, text));
    while ($('errors').children.length > 20) $('errors').firstChild.remove();
  }

  function resetPlayer() {
    if (hls) hls.destroy();
    hls = null;
    frag = null;
    window.__swarmtee.hls = null;
    $('errors').replaceChildren();
    const select = $('rendition');
    select.replaceChildren(el('option', { value: '-1', textContent: 'auto' }));
    select.disabled = true;
    for (const id of ['position', 'pdt', 'level']) $(id).textContent = '–';
    clip.from = null;
    clip.to = null;
    renderClip();
  }

  // ---------- clips by program date time ----------

  const clip = { from: null, to: null };

  /** Marks one end of a clip at the program date time now shown. */
  function clipMark(end) {
    const pdt = programDateTime();
    if (!pdt || isNaN(pdt)) {
      showError('no program date time here yet: play the archive first', false);
      return;
    }
    clip[end] = pdt;
    renderClip();
  }

  /** The clip's window and its URLs: the archive's playlist with ?start=&end=, and how to publish it. */
  function renderClip() {
    const playing = window.__swarmtee.playing;
    const archive = playing && playing.kind === 'archive';
    $('clip-from').disabled = !archive;
    $('clip-to').disabled = !archive || !clip.from;
    const from = clip.from ? clip.from.toISOString() : '…';
    const to = clip.to ? clip.to.toISOString() : '…';
    $('clip-window').textContent = clip.from || clip.to ? `${from} → ${to}` : '–';
    const urls = $('clip-urls');
    urls.replaceChildren();
    if (!archive || !clip.from || !clip.to) return;
    if (clip.to <= clip.from) {
      urls.append(el('div', { class: 'muted' }, 'the clip must end after it starts'));
      return;
    }
    const query = `start=${clip.from.toISOString()}&end=${clip.to.toISOString()}`;
    const path = '/archive/' + encodeURIComponent(playing.id) + '/index.m3u8?' + query;
    urls.append(urlField('clip', absolute(path)),
      urlField('publish', `POST ${absolute('/api/archives/' + encodeURIComponent(playing.id) + '/clips')} ` +
        JSON.stringify({ start: clip.from.toISOString(), end: clip.to.toISOString() })),
      el('div', { class: 'muted' }, 'publishing (admin token) stores the clip on Swarm as an archive of its own'));
    window.__swarmtee.clip = absolute(path);
  }

  function play(kind, id, url) {
    resetPlayer();
    window.__swarmtee.playing = { kind, id, url };
    renderClip();
    $('now-playing').replaceChildren(kind === 'live' ? 'Live: ' : 'Archive: ', el('strong', {}, id),
      el('span', { class: 'muted' }, ' ', url));
    const video = $('video');
    if (!window.Hls) {
      showError('hls.js did not load', true);
      return;
    }
    if (!window.Hls.isSupported()) {
      if (video.canPlayType('application/vnd.apple.mpegurl')) { // Safari: native HLS
        video.src = url;
        video.play().catch((e) => showError(`play: ${e.message}`, false));
      } else {
        showError('this browser has no Media Source Extensions: HLS cannot play here', true);
      }
      return;
    }
    const Hls = window.Hls;
    hls = new Hls({ startPosition: kind === 'archive' ? 0 : -1 });
    window.__swarmtee.hls = hls;
    hls.on(Hls.Events.ERROR, (event, data) => {
      window.__errors.push({ type: data.type, details: data.details, fatal: !!data.fatal,
        url: data.frag ? data.frag.url : (data.url || null), time: video.currentTime });
      showError(`${data.fatal ? 'fatal' : 'error'}: ${data.type} ${data.details}` +
        (data.response && data.response.code ? ` (HTTP ${data.response.code})` : ''), data.fatal);
      if (data.fatal && data.type === Hls.ErrorTypes.MEDIA_ERROR) hls.recoverMediaError();
    });
    hls.on(Hls.Events.MANIFEST_PARSED, (event, data) => {
      const select = $('rendition');
      data.levels.forEach((level, i) => {
        const label = [level.height ? `${level.height}p` : null, level.bitrate ? `${Math.round(level.bitrate / 1000)} kbit/s` : null,
          level.name || null].filter(Boolean).join(' · ');
        select.append(el('option', { value: String(i), textContent: label || `level ${i}` }));
      });
      select.value = '-1';
      select.disabled = data.levels.length < 2;
      video.play().catch((e) => showError(`play: ${e.message}`, false));
    });
    hls.on(Hls.Events.LEVEL_SWITCHED, (event, data) => {
      const level = hls.levels[data.level];
      $('level').textContent = level ? `${level.width || '?'}x${level.height || '?'}` : String(data.level);
    });
    hls.on(Hls.Events.FRAG_CHANGED, (event, data) => {
      frag = data.frag;
      showPosition();
    });
    hls.loadSource(url);
    hls.attachMedia(video);
  }

  /** Program date time of the current position: the playing fragment's PDT plus the offset into it. */
  function programDateTime() {
    const video = $('video');
    if (frag && typeof frag.programDateTime === 'number') {
      return new Date(frag.programDateTime + (video.currentTime - frag.start) * 1000);
    }
    return hls && hls.playingDate ? hls.playingDate : null;
  }

  function showPosition() {
    const video = $('video');
    const total = isFinite(video.duration) ? ` / ${video.duration.toFixed(1)} s` : ' (live)';
    $('position').textContent = `${video.currentTime.toFixed(1)} s${total}`;
    const pdt = programDateTime();
    $('pdt').textContent = pdt && !isNaN(pdt) ? pdt.toISOString() : '–';
  }

  function start() {
    const video = $('video');
    video.addEventListener('timeupdate', showPosition);
    video.addEventListener('seeked', showPosition);
    $('clip-from').addEventListener('click', () => clipMark('from'));
    $('clip-to').addEventListener('click', () => clipMark('to'));
    $('rendition').addEventListener('change', (e) => {
      if (hls) hls.currentLevel = Number(e.target.value); // -1: automatic choice
    });
    const input = $('gateway');
    input.value = localStorage.getItem(GATEWAY_KEY) || info.gateway || '';
    input.addEventListener('change', () => {
      const gw = gateway();
      input.setCustomValidity(input.value.trim() && !gw ? 'an http(s) URL' : '');
      if (gw || !input.value.trim()) localStorage.setItem(GATEWAY_KEY, input.value.trim());
      renderArchives();
    });
    $('gateway-form').addEventListener('submit', (e) => e.preventDefault());
    poll();
  }

  getJson('/api/info')
    .then((i) => { if (i) info = Object.assign(info, i); })
    .catch((e) => status(`cannot read /api/info: ${e.message}`, true))
    .finally(start);
})();
