// Small line charts in plain SVG: a few series over the last minutes, no library.

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;
const HEIGHT = 140;
const PAD = { left: 44, right: 8, top: 8, bottom: 18 };

function node(tag, attributes = {}, text) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

/**
 * Draws `series` ([{points: [[time, value]…], className}]) over the window ending now into
 * `container`, replacing what was there. `format` writes the axis's top value, which is at least
 * `minTop`, so that a quiet cluster shows a flat line at 0 under a readable scale.
 */
export function lineChart(container, series, windowMs, format, minTop, now = Date.now()) {
  const max = Math.max(minTop, ...series.flatMap((s) => s.points.map(([, v]) => v)));
  const top = niceCeiling(max);
  const x = (t) => PAD.left + ((t - (now - windowMs)) / windowMs) * (WIDTH - PAD.left - PAD.right);
  const y = (v) => HEIGHT - PAD.bottom - (v / top) * (HEIGHT - PAD.top - PAD.bottom);
  const svg = node('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'line-chart' });
  svg.append(node('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0), class: 'axis' }));
  svg.append(node('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(top), y2: y(top), class: 'grid' }));
  svg.append(node('text', { x: PAD.left - 4, y: y(top) + 4, class: 'tick', 'text-anchor': 'end' }, format(top)));
  svg.append(node('text', { x: PAD.left - 4, y: y(0), class: 'tick', 'text-anchor': 'end' }, '0'));
  svg.append(node('text', { x: PAD.left, y: HEIGHT - 4, class: 'tick' }, `−${Math.round(windowMs / 60000)} min`));
  svg.append(node('text', { x: WIDTH - PAD.right, y: HEIGHT - 4, class: 'tick', 'text-anchor': 'end' }, 'now'));
  for (const s of series) {
    if (s.points.length < 2) continue;
    const d = s.points.map(([t, v], i) => `${i ? 'L' : 'M'}${x(t).toFixed(1)},${y(v).toFixed(1)}`).join('');
    svg.append(node('path', { d, class: `series ${s.className}` }));
  }
  svg.setAttribute('aria-label', series.map((s) => {
    const last = s.points.length ? s.points[s.points.length - 1][1] : null;
    return `${s.label}: ${last === null ? 'no data' : format(last)} now`;
  }).join('; '));
  container.replaceChildren(svg);
}

/** A sparkline of recent values, for a table cell. */
export function sparkline(values, className) {
  const w = 80;
  const h = 18;
  const svg = node('svg', { viewBox: `0 0 ${w} ${h}`, class: `sparkline ${className}`, 'aria-hidden': 'true' });
  if (values.length >= 2) {
    const max = Math.max(1e-9, ...values);
    const d = values.map((v, i) => `${i ? 'L' : 'M'}${((i / (values.length - 1)) * w).toFixed(1)},${(h - 1 - (v / max) * (h - 2)).toFixed(1)}`).join('');
    svg.append(node('path', { d }));
  }
  return svg;
}

/** 1, 2, 5 × 10^n at or above `value`. */
function niceCeiling(value) {
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
