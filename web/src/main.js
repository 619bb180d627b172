// main.js — the map page of corridor. Loads the network, the scenarios and the basemap, then
// keeps the route, the itinerary, the corridor comparison and the criticality heat map in
// step with what the user picks: origin and destination (search box or a click on the map),
// what to optimise, and a scenario. Every figure shown comes from the server's answer.
import * as api from './api.js';
import * as fmt from './format.js';
import { MapView } from './map.js';
import { renderItinerary, renderCompare } from './panels.js';

const LAYERS = ['transport', 'gas', 'oil', 'data'];
const MODES = ['rail', 'road', 'ferry', 'sea', 'pipeline', 'fiber'];
// Legend keys of a mode: a pipeline is drawn in the colour of its layer.
const MODE_KEYS = { pipeline: [['layer-gas', 'gas'], ['layer-oil', 'oil']] };
// The demand behind the heat map: the major ends of the China-Europe trade, one unit each.
const HEAT_OD = [
  { from: 'CN-XIAN', to: 'DE-DUISBURG', quantity: 1 },
  { from: 'CN-XIAN', to: 'NL-ROTTERDAM', quantity: 1 },
  { from: 'CN-SHANGHAI', to: 'DE-DUISBURG', quantity: 1 },
  { from: 'CN-SHANGHAI', to: 'NL-ROTTERDAM', quantity: 1 },
];

const $ = (id) => document.getElementById(id);
const state = {
  from: null, to: null, optimize: 'time', scenario: '', pickNext: 'from',
  names: new Map(), scenarios: new Map(), seq: 0, heatSeq: 0,
};
let map;

const nodeName = (id) => state.names.get(id) || id;

function setStatus(text, isError = false) {
  const s = $('status');
  s.textContent = text;
  s.classList.toggle('error', isError);
}

function setHint() {
  const which = state.pickNext === 'from' ? 'origin' : 'destination';
  $('pick-hint').textContent = `Click a place on the map to set the ${which}.`;
  $('from-input').classList.toggle('picking', state.pickNext === 'from');
  $('to-input').classList.toggle('picking', state.pickNext === 'to');
}

// Sets the origin or destination; the next click on the map sets the other one.
function pick(which, id) {
  state[which] = id;
  $(`${which}-input`).value = `${nodeName(id)} (${id})`;
  state.pickNext = which === 'from' ? 'to' : 'from';
  setHint();
  map.setEnds(state.from, state.to);
  refresh();
}

function saveHash() {
  const q = new URLSearchParams();
  for (const k of ['from', 'to', 'optimize', 'scenario']) if (state[k]) q.set(k, state[k]);
  history.replaceState(null, '', `#${q}`);
}

// Route and comparison for the current choices. Answers to an older request are dropped.
async function refresh() {
  saveHash();
  if (!state.from || !state.to) return;
  const seq = ++state.seq;
  const params = { from: state.from, to: state.to, optimize: state.optimize, scenario: state.scenario };
  const title = `${nodeName(state.from)} → ${nodeName(state.to)}`;
  setStatus('Routing…');
  const [route, cmp] = await Promise.allSettled([api.get('/v1/route', params), api.get('/v1/compare', params)]);
  if (seq !== state.seq) return;
  const scen = state.scenario ? `, scenario: ${state.scenarios.get(state.scenario).name}` : '';
  const problems = [];
  if (route.status === 'fulfilled') {
    const r = route.value.routes[0];
    const missing = map.showRoute(r.legs.filter((l) => l.link).map((l) => l.link));
    renderItinerary($('itinerary'), r, nodeName);
    $('itinerary-title').textContent = `${title}: ${r.totals.days.toFixed(1)} days, ` +
      `${fmt.integer(r.totals.usd)} USD, ${fmt.tonnes(r.totals.co2_kg)} t CO₂ per TEU (optimising ${state.optimize}${scen})`;
    if (missing.length) problems.push(`route links not on the map: ${missing.join(', ')}`);
  } else {
    map.showRoute([]);
    renderItinerary($('itinerary'), null, nodeName);
    $('itinerary-title').textContent = `${title}: no route`;
    problems.push(route.reason.message);
  }
  if (cmp.status === 'fulfilled') {
    renderCompare($('compare'), cmp.value);
    $('compare-title').textContent = `Corridors compared (optimising ${state.optimize}${scen})`;
  } else {
    renderCompare($('compare'), null);
    $('compare-title').textContent = 'Corridors compared: no answer';
    problems.push(`comparison: ${cmp.reason.message}`);
  }
  setStatus(problems.join(' · '), problems.length > 0);
}

async function refreshHeat() {
  const on = $('heat-toggle').checked;
  const seq = ++state.heatSeq;
  $('heat-top').replaceChildren();
  if (!on) {
    map.setHeat(null);
    $('heat-scale').hidden = true;
    return;
  }
  const body = { od: HEAT_OD, elements: 'links', optimize: state.optimize };
  if (state.scenario) body.scenario = state.scenario;
  let ans;
  try {
    ans = await api.post('/v1/stress', body);
  } catch (e) {
    if (seq !== state.heatSeq) return;
    $('heat-toggle').checked = false;
    map.setHeat(null);
    setStatus(e.status === 404 ? 'This server does not answer /v1/stress: no heat map.'
                               : `Criticality: ${e.message}`, true);
    return;
  }
  if (seq !== state.heatSeq) return;
  const max = map.setHeat(ans.elements);
  const unit = fmt.costUnit(ans.optimize);
  $('heat-min').textContent = '0';
  $('heat-max').textContent = `${fmt.integer(max)} ${unit}`;
  $('heat-scale').hidden = false;
  for (const e of ans.elements.slice(0, 5)) {
    const li = document.createElement('li');
    const cut = e.pairs_disconnected > 0 ? `, cuts ${e.pairs_disconnected} pair(s) off` : '';
    li.textContent = `${e.id}: +${fmt.integer(e.extra_cost)} ${unit}${cut}`;
    $('heat-top').appendChild(li);
  }
}

// A search box over /v1/nodes?q=: suggestions as you type, Enter or a click picks one.
function searchBox(which, title) {
  const box = document.createElement('div');
  box.className = 'place';
  box.innerHTML = `<label for="${which}-input">${title}</label>` +
    `<input id="${which}-input" data-testid="${which}-input" type="search" autocomplete="off"` +
    ` placeholder="search a place, or click the map" aria-controls="${which}-list">` +
    `<ul id="${which}-list" class="suggestions" role="listbox" data-testid="${which}-list" hidden></ul>`;
  $('places').appendChild(box);
  const input = $(`${which}-input`);
  const list = $(`${which}-list`);
  let timer = 0, seq = 0, active = 0;
  const close = () => { list.hidden = true; list.replaceChildren(); };
  const choose = (li) => { close(); pick(which, li.dataset.nodeId); input.blur(); };
  const highlight = (i) => {
    const items = [...list.children];
    active = Math.max(0, Math.min(items.length - 1, i));
    items.forEach((li, j) => li.classList.toggle('active', j === active));
  };
  input.addEventListener('focus', () => { state.pickNext = which; setHint(); input.select(); });
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (!q) { close(); return; }
    timer = setTimeout(async () => {
      const mine = ++seq;
      let ans;
      try {
        ans = await api.get('/v1/nodes', { q });
      } catch (e) {
        setStatus(`Search: ${e.message}`, true);
        return;
      }
      if (mine !== seq) return;
      list.replaceChildren();
      for (const n of ans.nodes.slice(0, 12)) {
        const li = document.createElement('li');
        li.setAttribute('role', 'option');
        li.dataset.nodeId = n.id;
        li.dataset.testid = 'suggestion';
        li.textContent = `${n.name} `;
        const small = document.createElement('small');
        small.textContent = `${n.id} · ${(n.kind || '').replace(/_/g, ' ')}`;
        li.appendChild(small);
        li.addEventListener('mousedown', (ev) => { ev.preventDefault(); choose(li); });
        list.appendChild(li);
      }
      if (!ans.nodes.length) {
        const li = document.createElement('li');
        li.textContent = 'no place matches';
        li.className = 'none';
        list.appendChild(li);
      }
      list.hidden = false;
      highlight(0);
    }, 120);
  });
  input.addEventListener('keydown', (ev) => {
    if (list.hidden) return;
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      ev.preventDefault();
      highlight(active + (ev.key === 'ArrowDown' ? 1 : -1));
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      const li = list.children[active];
      if (li && li.dataset.nodeId) choose(li);
    } else if (ev.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}

function toggle(parent, value, keys, testid) {
  const label = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = true;
  box.value = value;
  box.dataset.testid = testid;
  label.appendChild(box);
  for (const [cls, title] of keys) {
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('width', '22');
    svg.setAttribute('height', '8');
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
    for (const [k, v] of Object.entries({ x1: 0, y1: 4, x2: 22, y2: 4, class: cls })) line.setAttribute(k, v);
    if (title) svg.appendChild(document.createElementNS('http://www.w3.org/2000/svg', 'title')).textContent = title;
    svg.appendChild(line);
    label.appendChild(svg);
  }
  label.appendChild(document.createTextNode(value));
  parent.appendChild(label);
  box.addEventListener('change', applyFilter);
}

function applyFilter() {
  const on = (id) => new Set([...$(id).querySelectorAll('input:checked')].map((b) => b.value));
  map.filter(on('layer-toggles'), on('mode-toggles'));
}

function buildToggles(network) {
  const present = (key) => new Set(network.features.map((f) => f.properties[key]).filter(Boolean));
  const layers = present('layer');
  const modes = present('mode');
  const ordered = (known, have) => [...known.filter((x) => have.has(x)), ...[...have].filter((x) => !known.includes(x)).sort()];
  for (const l of ordered(LAYERS, layers)) toggle($('layer-toggles'), l, [], 'layer-toggle');
  for (const m of ordered(MODES, modes)) {
    const keys = (MODE_KEYS[m] || [['', '']]).map(([cls, title]) => [`key mode-${m} ${cls}`, title]);
    toggle($('mode-toggles'), m, keys, 'mode-toggle');
  }
}

function buildScenarios(list) {
  const fs = $('scenarios');
  for (const s of list) {
    state.scenarios.set(s.id, s);
    const label = document.createElement('label');
    label.title = s.description || '';
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = 'scenario';
    radio.value = s.id;
    radio.dataset.testid = `scenario-${s.id}`;
    label.append(radio, ` ${s.name}`);
    fs.appendChild(label);
  }
  fs.addEventListener('change', (ev) => {
    state.scenario = ev.target.value;
    refresh();
    refreshStatuses();
    if ($('heat-toggle').checked) refreshHeat();
  });
}

// The links as the scenario has them: the ferries a storm stops drawn closed, the planned
// railways a scenario opens drawn open.
async function refreshStatuses() {
  const q = state.scenario ? `?scenario=${encodeURIComponent(state.scenario)}` : '';
  try {
    map.setStatuses(await api.get(`/v1/network${q}`));
  } catch (e) {
    setStatus(`The network under the scenario: ${e.message}`, true);
  }
}

async function main() {
  searchBox('from', 'From');
  searchBox('to', 'To');
  map = new MapView($('map'), (id) => pick(state.pickNext, id));
  let network, scenarios, atlas;
  try {
    [network, scenarios, atlas] = await Promise.all([
      api.get('/v1/network'), api.get('/v1/scenarios'),
      fetch('countries.json').then((r) => { if (!r.ok) throw new Error(`countries.json: HTTP ${r.status}`); return r.json(); }),
    ]);
  } catch (e) {
    setStatus(`Could not load the page's data: ${e.message}`, true);
    return;
  }
  for (const f of network.features) {
    if (f.geometry && f.geometry.type === 'Point') state.names.set(f.properties.id, f.properties.name);
  }
  map.setNetwork(network);
  map.setBasemap(atlas);
  buildToggles(network);
  buildScenarios(scenarios.scenarios);
  $('optimize').addEventListener('change', (ev) => {
    state.optimize = ev.target.value;
    refresh();
    if ($('heat-toggle').checked) refreshHeat();
  });
  $('heat-toggle').addEventListener('change', refreshHeat);
  setHint();
  setStatus('');

  // A link to the page can carry the choices: #from=CN-XIAN&to=DE-DUISBURG&optimize=cost
  const h = new URLSearchParams(location.hash.slice(1));
  const known = (id) => id && state.names.has(id);
  if (['time', 'cost', 'co2'].includes(h.get('optimize'))) {
    state.optimize = h.get('optimize');
    document.querySelector(`input[name=optimize][value=${state.optimize}]`).checked = true;
  }
  if (state.scenarios.has(h.get('scenario'))) {
    state.scenario = h.get('scenario');
    document.querySelector(`input[name=scenario][value="${state.scenario}"]`).checked = true;
    refreshStatuses();
  }
  if (known(h.get('from')) && known(h.get('to'))) {
    state.from = h.get('from');
    pick('to', h.get('to'));
    $('from-input').value = `${nodeName(state.from)} (${state.from})`;
  }
  document.body.dataset.readyMs = String(Math.round(performance.now())); // since navigation
  document.body.dataset.ready = 'true';
}

main();
