// How figures read on the dashboard. Everything returns plain text.

/** A lag or a duration: "0 s", "850 ms", "4.2 s", "3 min 05 s", "2 h 10 min". */
export function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  if (ms === 0) return '0 s';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function bytes(n) {
  if (n === null || n === undefined || n < 0) return '–';
  const mib = n / (1024 * 1024);
  return mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${Math.round(mib)} MiB`;
}

/** Messages per second: one decimal below 10, whole numbers above. */
export function rate(n) {
  if (n === null || n === undefined) return '–';
  return n < 10 ? n.toFixed(1) : String(Math.round(n));
}

export function percent(fraction) {
  return fraction === null || fraction === undefined ? '–' : `${Math.round(fraction * 100)} %`;
}

/** "14:05:09" of a contract timestamp. */
export function clock(iso) {
  if (!iso) return '–';
  return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** "14:05:09 (3 min ago)". */
export function since(iso, now = Date.now()) {
  if (!iso) return '–';
  return `${clock(iso)} (${duration(Math.max(0, now - Date.parse(iso)))} ago)`;
}
