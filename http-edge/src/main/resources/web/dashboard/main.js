// The live cluster dashboard: sign in as an operator, then follow GET /api/ops/stream.
// One stream at a time; closed while the tab is hidden; reopened by itself after a failure.
// Everything from the server is set as text.

import { Api } from '/client/api.js';
import { byId, el } from '/client/dom.js';
import { lineChart, sparkline } from './chart.js';
import * as fmt from './format.js';

const STORAGE_KEY = 'chat.dashboard.session';
const HISTORY_MS = 5 * 60_000;
const TREND_POINTS = 60;
const RETRY_MS = [1000, 2000, 5000, 10_000];
/** Without a snapshot for this long, the page says it is not live. */
const STALE_MS = 5000;
const LOG_LIMIT = 200;
const REFRESH_MARGIN_MS = 60_000;

// ---- the operator's tokens (this tab only) ----

let session = JSON.parse(sessionStorage.getItem(STORAGE_KEY) || 'null');

function keep(userId, tokens) {
  session = { userId, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken,
    expiresAt: Date.now() + tokens.expiresIn * 1000 };
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
}

function forget() {
  session = null;
  sessionStorage.removeItem(STORAGE_KEY);
}

async function refresh() {
  keep(session.userId, await Api.anonymous('POST', '/api/auth/refresh', { refreshToken: session.refreshToken }));
  return session.accessToken;
}

/** The web client's Api, with this tab's tokens: refreshed when about to expire, or once when refused. */
const api = new Api({
  accessToken: async () => (Date.now() > session.expiresAt - REFRESH_MARGIN_MS ? refresh() : session.accessToken),
  refresh,
});

// ---- views ----

const signInView = byId('sign-in');
const dashboardView = byId('dashboard');
const signInError = byId('sign-in-error');
const live = byId('live');

function showSignIn(message = '') {
  closeStream();
  clearTimeout(retryTimer);
  dashboardView.hidden = true;
  signInView.hidden = false;
  signInError.textContent = message;
  byId('password').value = '';
  byId('user').focus();
}

function showDashboard() {
  signInView.hidden = true;
  dashboardView.hidden = false;
  byId('operator').textContent = session.userId;
  byId('answering').textContent = location.host;
  connect();
}

byId('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const userId = byId('user').value.trim();
  const password = byId('password').value;
  if (!userId || !password) {
    signInError.textContent = 'Enter your user id and password.';
    return;
  }
  signInError.textContent = '';
  try {
    keep(userId, await Api.anonymous('POST', '/api/auth/login', { userId, password }));
  } catch (e) {
    signInError.textContent = e.status === 401 ? 'Wrong user or password.' : e.message;
    return;
  }
  showDashboard();
});

byId('sign-out').addEventListener('click', () => {
  if (session) api.post('/api/auth/logout', { refreshToken: session.refreshToken }).catch(() => {});
  forget();
  showSignIn();
});

function refused() {
  const who = session ? session.userId : 'This user';
  forget();
  showSignIn(`Access refused: ${who} is not an operator of this cluster (CHAT_ADMIN_USERS).`);
}

// ---- the stream ----

let source = null;
let connecting = false;
let attempt = 0;
let retryTimer = null;
let lastSnapshotAt = 0;

function setLive(state, text) {
  live.dataset.state = state;
  live.textContent = text;
}

async function connect() {
  if (!session || document.hidden || source || connecting) return;
  connecting = true;
  clearTimeout(retryTimer);
  setLive('connecting', 'connecting…');
  try {
    // Also proves the token and the role: EventSource would only say "error".
    render(await api.get('/api/ops/cluster'));
    if (!session || document.hidden) return;
    source = new EventSource(`/api/ops/stream?access_token=${encodeURIComponent(session.accessToken)}`);
    source.addEventListener('open', () => {
      attempt = 0;
      setLive('live', 'live');
    });
    source.addEventListener('snapshot', (e) => render(JSON.parse(e.data)));
    source.addEventListener('member', (e) => logEvent(JSON.parse(e.data)));
    source.addEventListener('error', () => {
      closeStream();
      retry();
    });
  } catch (e) {
    if (e.status === 403) refused();
    else if (e.status === 401) { forget(); showSignIn('Your session ended. Sign in again.'); }
    else retry();
  } finally {
    connecting = false;
  }
}

function closeStream() {
  if (source) {
    source.close();
    source = null;
  }
}

function retry() {
  const wait = RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)];
  attempt++;
  setLive('down', `not live: reconnecting in ${Math.round(wait / 1000)} s`);
  clearTimeout(retryTimer);
  retryTimer = setTimeout(connect, wait);
}

document.addEventListener('visibilitychange', () => {
  if (!session || dashboardView.hidden) return;
  if (document.hidden) {
    closeStream();
    clearTimeout(retryTimer);
    setLive('paused', 'paused while the tab is hidden');
  } else {
    connect();
  }
});

setInterval(() => {
  if (source && live.dataset.state === 'live' && Date.now() - lastSnapshotAt > STALE_MS) {
    setLive('stale', `not live: no news for ${Math.round((Date.now() - lastSnapshotAt) / 1000)} s`);
  }
}, 1000);

// ---- rendering ----

/** {t, in, out, lag, kafkaLag} per snapshot, the last few minutes. */
const history = [];
/** Recent lags per projection instance ("name/slice"), for the trend. */
const trends = new Map();
const memberRows = new Map();

function render(snapshot) {
  lastSnapshotAt = Date.now();
  if (source && live.dataset.state !== 'live' && source.readyState === EventSource.OPEN) setLive('live', 'live');
  const t = Date.parse(snapshot.at);
  const answered = snapshot.members.filter((m) => m.stats);
  const sum = (f) => answered.reduce((total, m) => total + m.stats[f], 0);
  const readSide = snapshot.projections.filter((p) => !p.name.startsWith('kafka-'));
  const kafka = snapshot.projections.filter((p) => p.name.startsWith('kafka-'));
  const maxLag = (list) => list.reduce((max, p) => Math.max(max, p.lagMillis), 0);
  const point = { t, in: sum('messagesInPerSec'), out: sum('messagesOutPerSec'), lag: maxLag(readSide), kafkaLag: kafka.length ? maxLag(kafka) : null };
  if (!history.length || history[history.length - 1].t < t) history.push(point);
  while (history.length && history[0].t < t - HISTORY_MS) history.shift();

  renderTotals(snapshot, point, answered);
  renderMembers(snapshot.members);
  renderShards(snapshot.shards);
  renderProjections(snapshot.projections, kafka);
  lineChart(byId('throughput-chart'), [
    { label: 'in', className: 'in', points: history.map((p) => [p.t, p.in]) },
    { label: 'out', className: 'out', points: history.map((p) => [p.t, p.out]) },
  ], HISTORY_MS, fmt.rate, 1, t);
  lineChart(byId('lag-chart'), [
    { label: 'read side', className: 'lag', points: history.map((p) => [p.t, p.lag]) },
    { label: 'Kafka publishing', className: 'kafka', points: history.filter((p) => p.kafkaLag !== null).map((p) => [p.t, p.kafkaLag]) },
  ], HISTORY_MS, fmt.duration, 100, t);
}

function renderTotals(snapshot, point, answered) {
  const up = snapshot.members.filter((m) => m.status === 'up').length;
  const unreachable = snapshot.members.filter((m) => !m.reachable).length;
  const entities = (type) => snapshot.shards.filter((s) => s.type === type).reduce((n, s) => n + s.entities, 0);
  const figures = [
    ['Members up', `${up} of ${snapshot.members.length}`],
    ['Unreachable', String(unreachable)],
    ['Connections', String(answered.reduce((n, m) => n + m.stats.connections, 0))],
    ['Msgs in/s', fmt.rate(point.in)],
    ['Msgs out/s', fmt.rate(point.out)],
    ['Users active', String(entities('user'))],
    ['Rooms active', String(entities('room'))],
    ['Largest lag', fmt.duration(point.lag)],
  ];
  byId('totals').replaceChildren(...figures.flatMap(([name, value]) => [
    el('div', { class: 'figure' }, el('dt', {}, name), el('dd', {}, value)),
  ]));
}

function renderMembers(members) {
  const tbody = byId('member-rows');
  const seen = new Set();
  for (const m of members) {
    seen.add(m.node);
    let row = memberRows.get(m.node);
    if (!row) {
      row = memberRow(m.node);
      memberRows.set(m.node, row);
    }
    const s = m.stats;
    row.cells.status.textContent = m.status;
    row.cells.leader.textContent = m.leader ? 'leader' : '';
    row.cells.reachable.textContent = m.reachable ? 'yes' : 'UNREACHABLE';
    row.cells.upSince.textContent = fmt.since(m.upSince);
    row.cells.connections.textContent = s ? String(s.connections) : '–';
    row.cells.in.textContent = s ? fmt.rate(s.messagesInPerSec) : '–';
    row.cells.out.textContent = s ? fmt.rate(s.messagesOutPerSec) : '–';
    row.cells.p99.textContent = s && s.persistP99Millis !== null ? fmt.duration(s.persistP99Millis) : '–';
    row.cells.heap.textContent = s ? `${fmt.bytes(s.heapUsedBytes)} / ${fmt.bytes(s.heapMaxBytes)}` : '–';
    row.cells.cpu.textContent = s ? fmt.percent(s.cpuLoad) : '–';
    row.tr.classList.toggle('silent', !s);
    row.tr.classList.toggle('unreachable', !m.reachable);
    row.tr.title = s ? '' : 'This node did not answer in time: its figures are unknown.';
    row.leave.disabled = !['up', 'joining', 'weakly-up'].includes(m.status);
    row.down.disabled = m.reachable;
    tbody.append(row.tr); // keeps the server's order
  }
  for (const [node, row] of memberRows) {
    if (!seen.has(node)) {
      row.tr.remove();
      memberRows.delete(node);
    }
  }
}

function memberRow(node) {
  const cells = {};
  const td = (name) => (cells[name] = el('td', { class: name }));
  const leave = el('button', { type: 'button', 'aria-label': `Leave ${node}` }, 'Leave');
  const down = el('button', { type: 'button', 'aria-label': `Down ${node}` }, 'Down');
  leave.addEventListener('click', () => confirmAction('leave', node));
  down.addEventListener('click', () => confirmAction('down', node));
  const tr = el('tr', {}, el('th', { scope: 'row' }, node), td('status'), td('leader'), td('reachable'), td('upSince'),
    td('connections'), td('in'), td('out'), td('p99'), td('heap'), td('cpu'), el('td', { class: 'actions' }, leave, down));
  return { tr, cells, leave, down };
}

function renderShards(shards) {
  byId('shard-rows').replaceChildren(...shards.map((s) =>
    el('tr', {}, el('td', {}, s.node), el('td', {}, s.type), el('td', { class: 'num' }, String(s.shards)),
      el('td', { class: 'num' }, String(s.entities)))));
}

function renderProjections(instances, kafka) {
  const current = new Set();
  const rows = instances.map((p) => {
    const key = `${p.name}/${p.slice}`;
    current.add(key);
    const lags = trends.get(key) || [];
    lags.push(p.lagMillis);
    if (lags.length > TREND_POINTS) lags.shift();
    trends.set(key, lags);
    const before = lags.length > 10 ? lags[lags.length - 11] : lags[0];
    const direction = p.lagMillis > before ? 'rising' : p.lagMillis < before ? 'falling' : 'steady';
    return el('tr', { class: p.errors || p.failures ? 'failing' : '' },
      el('td', {}, p.name), el('td', {}, p.slice), el('td', {}, p.node),
      el('td', { class: 'num' }, fmt.duration(p.lagMillis)),
      el('td', { class: 'trend' }, sparkline(lags, direction), el('span', { class: 'visually-hidden' }, direction)),
      el('td', { class: 'num' }, p.offset === null ? '–' : String(p.offset)),
      el('td', { class: 'num' }, p.failures ? `${p.errors} (${p.failures} restarts)` : String(p.errors)),
      el('td', { class: 'error-text' }, p.lastError || ''),
      el('td', {}, p.running ? 'yes' : 'no'));
  });
  for (const key of trends.keys()) if (!current.has(key)) trends.delete(key);
  byId('projection-rows').replaceChildren(...rows);
  const kafkaLine = byId('kafka-lag');
  kafkaLine.hidden = kafka.length === 0;
  byId('kafka-key').hidden = kafka.length === 0;
  if (kafka.length) {
    const lag = kafka.reduce((max, p) => Math.max(max, p.lagMillis), 0);
    kafkaLine.textContent = `Kafka publishing: ${kafka.length} instances, largest lag ${fmt.duration(lag)}.`;
  }
}

function logEvent(change) {
  const log = byId('events');
  log.prepend(el('li', { class: `event ${change.status}` },
    el('time', { datetime: change.at }, fmt.clock(change.at)), ' ', el('strong', {}, change.node), ' ', change.status));
  while (log.children.length > LOG_LIMIT) log.lastChild.remove();
  byId('events-empty').hidden = true;
}

// ---- leave and down ----

const dialog = byId('confirm');
let pending = null;

const EXPLAIN = {
  leave: 'It hands its shards and projections to the other nodes, closes its WebSockets with 1012 (clients reconnect elsewhere) and stops.',
  down: 'Only for a node that is unreachable and will not come back: the cluster stops waiting for it and moves its shards.',
};

function confirmAction(action, node) {
  pending = { action, node };
  byId('confirm-text').textContent = action === 'leave' ? `Make ${node} leave the cluster?` : `Down ${node}?`;
  byId('confirm-detail').textContent = EXPLAIN[action];
  dialog.showModal();
}

byId('confirm-no').addEventListener('click', () => dialog.close());
byId('confirm-yes').addEventListener('click', async () => {
  dialog.close();
  const { action, node } = pending;
  byId('action-error').textContent = '';
  try {
    await api.post(`/api/ops/members/${encodeURIComponent(node)}/${action}`);
  } catch (e) {
    if (e.status === 403) refused();
    else byId('action-error').textContent = `${action === 'leave' ? 'Leave' : 'Down'} ${node}: ${e.message}`;
  }
});

if (session) showDashboard();
else showSignIn();
