// panels.js — the itinerary table of a route and the bar chart comparing the corridors.
// Both show only the measures the network has (/v1/info's measures: a network without
// money figures gets no money column, never a column of zeros), money in its own unit.
import * as fmt from './format.js';

const NS = 'http://www.w3.org/2000/svg';
const CORRIDOR_COLOURS = ['#5b6b84', '#e6007e', '#c77c02', '#2b8cbe', '#6a9f3a', '#7b4fa0'];
const METRICS = [
  { key: 'days', measure: 'hours', label: () => 'Days', value: (t) => t.days, text: (v) => v.toFixed(1) },
  { key: 'usd', measure: 'usd', label: (info) => info.cost_unit, value: (t) => t.usd, text: fmt.integer },
  { key: 'co2', measure: 'co2_kg', label: () => 't CO₂', value: (t) => t.co2_kg / 1000, text: (v) => v.toFixed(2) },
];

// The itinerary's figure columns: [class, header, value of a leg or the totals].
function figureColumns(info, unit) {
  const cols = [];
  const has = (m) => info.measures.includes(m);
  if (has('hours')) cols.push(['days', unit === 'days' ? 'Days' : 'Hours', (x) => fmt.duration(x.hours, unit)]);
  if (has('usd')) cols.push(['usd', info.cost_unit, (x) => fmt.integer(x.usd)]);
  if (has('co2_kg')) cols.push(['co2', 'kg CO₂', (x) => fmt.integer(x.co2_kg)]);
  return cols;
}

function header(table, cols) {
  const tr = document.createElement('tr');
  for (const [cls, text] of [['', 'From'], ['', 'To'], ['', 'Mode'], ...cols.map(([c, h]) => [`num ${c}`, h]), ['', 'Border']]) {
    const th = document.createElement('th');
    th.textContent = text;
    if (cls) th.className = cls;
    tr.appendChild(th);
  }
  table.tHead.replaceChildren(tr);
}

function cell(tr, text, cls) {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  if (cls === 'name') td.title = text;
  tr.appendChild(td);
  return td;
}

// Fills the table with the legs of a route from /v1/route (routes[0]); name(id) gives a
// node's name, info is /v1/info.
export function renderItinerary(table, route, name, info) {
  const body = table.tBodies[0];
  const foot = table.tFoot;
  body.replaceChildren();
  foot.replaceChildren();
  const cols = figureColumns(info, route ? fmt.timeUnit(route.totals.hours) : 'days');
  header(table, cols);
  if (!route) return;
  for (const leg of route.legs) {
    const tr = document.createElement('tr');
    tr.dataset.testid = 'leg-row';
    tr.dataset.kind = leg.kind;
    tr.dataset.from = leg.from;
    tr.dataset.to = leg.to;
    if (leg.link) tr.dataset.link = leg.link;
    const gauge = leg.gauge_mm ? ` ${leg.gauge_mm}` : '';
    if (leg.kind === 'transfer') {
      tr.className = 'transfer';
      cell(tr, name(leg.from), 'name');
      cell(tr, 'transfer');
      cell(tr, `→ ${leg.mode}${gauge}`);
    } else {
      cell(tr, name(leg.from), 'name');
      cell(tr, name(leg.to), 'name');
      const wait = leg.wait_hours > 0 ? ` · wait ${leg.wait_hours.toFixed(0)} h` : '';
      cell(tr, `${leg.mode}${leg.mode === 'rail' ? gauge : ''}${wait}`);
    }
    for (const [cls, , value] of cols) cell(tr, value(leg), `num ${cls}`);
    cell(tr, leg.border ? `yes${leg.dwell_hours > 0 ? `, ${leg.dwell_hours.toFixed(1)} h` : ''}` : '', 'border');
    body.appendChild(tr);
  }
  const t = route.totals;
  const tr = document.createElement('tr');
  tr.dataset.testid = 'totals-row';
  cell(tr, 'Total');
  cell(tr, info.measures.includes('km') ? `${fmt.integer(t.km)} km` : '');
  cell(tr, `${t.transfers} transfer${t.transfers === 1 ? '' : 's'}`);
  for (const [cls, , value] of cols) cell(tr, value(t), `num ${cls}`);
  cell(tr, `${t.borders} border${t.borders === 1 ? '' : 's'}`, 'border');
  foot.appendChild(tr);
}

function svgEl(name, attrs, parent, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  parent.appendChild(e);
  return e;
}

// Draws the corridors of /v1/compare as rows of bars, one column per metric the network
// has (info: /v1/info); the lowest value of each metric is in bold. A corridor without a
// route says so.
export function renderCompare(svg, cmp, info) {
  svg.replaceChildren();
  if (!cmp) return;
  const rows = cmp.corridors;
  const metrics = METRICS.filter((m) => info.measures.includes(m.measure));
  const labelW = 66, colW = 104, rowH = 30, top = 18;
  const height = top + rows.length * rowH + 4;
  svg.setAttribute('viewBox', `0 0 ${labelW + metrics.length * colW} ${height}`);
  metrics.forEach((m, j) => {
    const label = m.label(info);
    svgEl('text', { x: labelW + j * colW, y: 12, class: 'metric' }, svg, label);
    const values = rows.map((c) => (c.route_found && c.totals ? m.value(c.totals) : null));
    const max = Math.max(...values.filter((v) => v !== null), 0);
    const best = Math.min(...values.filter((v) => v !== null));
    rows.forEach((c, i) => {
      const y = top + i * rowH;
      const x = labelW + j * colW;
      const v = values[i];
      if (v === null) {
        svgEl('text', { x, y: y + 17, class: 'none', 'data-testid': 'compare-none',
                        'data-corridor': c.id, 'data-metric': m.key }, svg, 'no route');
        return;
      }
      const w = max > 0 ? Math.max(1, (v / max) * (colW - 44)) : 1;
      const bar = svgEl('rect', {
        x, y: y + 5, width: w, height: 16, fill: CORRIDOR_COLOURS[i % CORRIDOR_COLOURS.length],
        'data-testid': 'compare-bar', 'data-corridor': c.id, 'data-metric': m.key, 'data-value': v,
      }, svg);
      svgEl('title', {}, bar, `${c.name}: ${m.text(v)} ${label.toLowerCase()}`);
      svgEl('text', { x: x + w + 3, y: y + 17, 'font-weight': v === best ? 700 : 400 }, svg, m.text(v));
    });
  });
  rows.forEach((c, i) => {
    const t = svgEl('text', { x: 0, y: top + i * rowH + 17, 'font-weight': 600 }, svg, c.name.split(/[ (]/)[0]);
    svgEl('title', {}, t, c.name);
  });
}
