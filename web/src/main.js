// main.js — the map page of corridor. Loads what the network is (/v1/info), the network and
// the basemap, then keeps the route, the itinerary, the corridor comparison and the
// criticality heat map in step with what the user picks: origin and destination (search box
// or a click on the map), what to optimise, the modes, and a scenario. Every figure shown
// comes from the server's answer, and every text about the network from /v1/info: its name,
// its measures and cost unit, its corridors and scenarios, the demand behind the heat map.
// Panels the network has nothing for (no corridors, no scenarios) are not shown.
import * as api from './api.js';
import * as fmt from './format.js';
import { MapView } from './map.js';
import { renderItinerary, renderCompare } from './panels.js';

const LAYERS = ['transport', 'gas', 'oil', 'data'];
const MODES = ['rail', 'road', 'ferry', 'sea', 'pipeline', 'fiber'];
// Legend keys of a mode: a pipeline is drawn in the colour of its layer.
const MODE_KEYS = { pipeline: [['layer-gas', 'gas'], ['layer-oil', 'oil']] };
// The objectives the page offers, in this order, when the network can be routed on them.
const OBJECTIVES = [['time', 'time'], ['cost', 'cost'], ['co2', 'CO₂'], ['distance', 'distance']];

const $ = (id) => document.getElementById(id);
const state = {
  from: null, to: null, optimize: 'time', scenario: '', pickNext: 'from',
  names: new Map(), scenarios: new Map(), seq: 0, heatSeq: 0, info: null,
};
let map;

const nodeName = (id) => state.names.get(id) || id;
// "Name (ID)", or the id alone for a node without a name (pgRouting, DIMACS).
const nodeLabel = (id) => (state.names.get(id) ? `${state.names.get(id)} (${id})` : id);

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
  $(`${which}-input`).value = nodeLabel(id);
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

// The modes ticked, as the `modes` parameter: null when every mode is (no filter).
function modesParam() {
  const boxes = [...$('mode-toggles').querySelectorAll('input')];
  const on = boxes.filter((b) => b.checked).map((b) => b.value);
  return on.length === boxes.length ? null : on.join(',');
}

// The profile of every analysis the page asks for.
function profile() {
  return { optimize: state.optimize, scenario: state.scenario, modes: modesParam() };
}

// "2.3 days, 4,120 USD, 3.10 t CO₂ per TEU": the route's totals the network has.
function totalsText(t) {
  const has = (m) => state.info.measures.includes(m);
  const unit = fmt.timeUnit(t.hours);
  const parts = [];
  if (has('hours')) parts.push(unit === 'days' ? `${t.days.toFixed(1)} days` : `${t.hours.toFixed(1)} h`);
  if (has('km') && !has('usd')) parts.push(`${fmt.integer(t.km)} km`);
  if (has('usd')) parts.push(`${fmt.integer(t.usd)} ${state.info.cost_unit}`);
  if (has('co2_kg')) parts.push(`${fmt.tonnes(t.co2_kg)} t CO₂`);
  const per = state.info.unit && (has('usd') || has('co2_kg')) ? ` per ${state.info.unit}` : '';
  return parts.join(', ') + per;
}

// Route and comparison for the current choices. Answers to an older request are dropped.
async function refresh() {
  saveHash();
  if (!state.from || !state.to) return;
  const seq = ++state.seq;
  const title = `${nodeName(state.from)} → ${nodeName(state.to)}`;
  if (modesParam() === '') {
    map.showRoute([]);
    renderItinerary($('itinerary'), null, nodeName, state.info);
    $('itinerary-title').textContent = `${title}: no mode ticked`;
    setStatus('Tick at least one mode to route.', true);
    return;
  }
  const params = { from: state.from, to: state.to, ...profile() };
  const corridors = state.info.corridors.length > 0;
  setStatus('Routing…');
  const [route, cmp] = await Promise.allSettled([
    api.get('/v1/route', { ...params, geometry: true }),
    corridors ? api.get('/v1/compare', params) : Promise.resolve(null)]);
  if (seq !== state.seq) return;
  const scen = state.scenario ? `, scenario: ${state.scenarios.get(state.scenario).name}` : '';
  const problems = [];
  if (route.status === 'fulfilled') {
    const r = route.value.routes[0];
    const missing = map.showRoute(r.legs);
    renderItinerary($('itinerary'), r, nodeName, state.info);
    $('itinerary-title').textContent = `${title}: ${totalsText(r.totals)} (optimising ${state.optimize}${scen})`;
    if (missing.length) problems.push(`route links without a line: ${missing.join(', ')}`);
  } else {
    map.showRoute([]);
    renderItinerary($('itinerary'), null, nodeName, state.info);
    $('itinerary-title').textContent = `${title}: no route`;
    problems.push(route.reason.message);
  }
  if (!corridors) {
    // no comparison panel on a network without corridors
  } else if (cmp.status === 'fulfilled') {
    renderCompare($('compare'), cmp.value, state.info);
    $('compare-title').textContent = `Corridors compared (optimising ${state.optimize}${scen})`;
  } else {
    renderCompare($('compare'), null, state.info);
    $('compare-title').textContent = 'Corridors compared: no answer';
    problems.push(`comparison: ${cmp.reason.message}`);
  }
  setStatus(problems.join(' · '), problems.length > 0);
}

// A 404 for the endpoint itself (an older server), not for what the request named.
const noEndpoint = (e) => e.status === 404 && !e.field && /^no endpoint/.test(e.message);

async function refreshHeat() {
  const on = $('heat-toggle').checked;
  const seq = ++state.heatSeq;
  $('heat-top').replaceChildren();
  if (!on) {
    map.setHeat(null);
    $('heat-scale').hidden = true;
    return;
  }
  const body = { od: state.info.demand.pairs, elements: 'links', optimize: state.optimize };
  if (state.scenario) body.scenario = state.scenario;
  if (modesParam()) body.modes = modesParam();
  let ans;
  try {
    ans = await api.post('/v1/stress', body);
  } catch (e) {
    if (seq !== state.heatSeq) return;
    $('heat-toggle').checked = false;
    map.setHeat(null);
    setStatus(noEndpoint(e) ? 'This server does not answer /v1/stress: no heat map.'
                            : `Criticality: ${e.message}`, true);
    return;
  }
  if (seq !== state.heatSeq) return;
  const max = map.setHeat(ans.elements);
  const unit = fmt.costUnit(ans.optimize, state.info.cost_unit);
  $('heat-min').textContent = '0';
  $('heat-max').textContent = `${fmt.amount(max)} ${unit}`;
  $('heat-scale').hidden = false;
  for (const e of ans.elements.slice(0, 5)) {
    const li = document.createElement('li');
    const cut = e.pairs_disconnected > 0 ? `, cuts ${e.pairs_disconnected} pair(s) off` : '';
    li.textContent = `${e.id}: +${fmt.amount(e.extra_cost)} ${unit}${cut}`;
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
        li.textContent = `${n.name || n.id} `;
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
  box.addEventListener('change', () => applyFilter(parent.id === 'mode-toggles'));
}

// Draws what is ticked; a change of modes also routes again with them (`modes=`).
function applyFilter(modesChanged) {
  const on = (id) => new Set([...$(id).querySelectorAll('input:checked')].map((b) => b.value));
  map.filter(on('layer-toggles'), on('mode-toggles'));
  if (!modesChanged) return;
  refresh();
  if ($('heat-toggle').checked) refreshHeat();
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

// One radio per objective the network can be routed on; the first is chosen.
function buildObjectives(objectives) {
  const fs = $('optimize');
  const offered = OBJECTIVES.filter(([value]) => objectives.includes(value));
  for (const [value, text] of offered) {
    const label = document.createElement('label');
    const radio = document.createElement('input');
    radio.type = 'radio';
    radio.name = 'optimize';
    radio.value = value;
    label.append(radio, ` ${text}`);
    fs.appendChild(label);
  }
  fs.hidden = offered.length === 0;
  state.optimize = offered.some(([v]) => v === 'time') ? 'time' : offered.length ? offered[0][0] : 'time';
  const chosen = fs.querySelector(`input[value=${state.optimize}]`);
  if (chosen) chosen.checked = true;
}

// The heat map's panel says whose trips it weighs; no panel without a demand.
function buildHeat(demand) {
  $('heat').hidden = !demand || demand.pairs.length === 0;
  if ($('heat').hidden) return;
  const trips = demand.pairs.map((p) => `${nodeName(p.from)} → ${nodeName(p.to)}`).join(', ');
  const whose = demand.source === 'network' ? 'pairs this network names as its demand'
                                            : 'pairs of places spread over the network';
  const equal = demand.pairs.every((p) => p.quantity === demand.pairs[0].quantity);
  const weight = equal ? 'equal weight per pair: not a real demand figure'
                       : 'weighted by the quantities the network gives';
  $('heat-note').textContent = `What losing each link costs the trips ${trips} (${demand.pairs.length} ` +
    `${whose}, ${weight}), in the unit optimised above.`;
}

// The texts that name the network: title, heading, the units of the comparison.
function describe(info) {
  document.title = `corridor — ${info.name}`;
  $('network-name').textContent = info.name;
  $('compare-panel').hidden = info.corridors.length === 0;
  $('results').classList.toggle('single', info.corridors.length === 0);
  $('compare-unit').textContent = info.unit ? `, per ${info.unit}` : '';
}

function buildScenarios(list) {
  const fs = $('scenarios');
  fs.hidden = list.length === 0;
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
  let network, info, atlas;
  try {
    [network, info, atlas] = await Promise.all([
      api.get('/v1/network'), api.get('/v1/info'),
      fetch('countries.json').then((r) => { if (!r.ok) throw new Error(`countries.json: HTTP ${r.status}`); return r.json(); }),
    ]);
  } catch (e) {
    setStatus(`Could not load the page's data: ${e.message}`, true);
    return;
  }
  for (const f of network.features) {
    if (f.geometry && f.geometry.type === 'Point') state.names.set(f.properties.id, f.properties.name);
  }
  state.info = info;
  describe(info);
  map.setNetwork(network, info.bbox);
  map.setBasemap(atlas);
  buildToggles(network);
  buildObjectives(info.objectives);
  buildScenarios(info.scenarios);
  buildHeat(info.demand);
  renderItinerary($('itinerary'), null, nodeName, info);
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
  if (info.objectives.includes(h.get('optimize')) && document.querySelector(`input[name=optimize][value="${h.get('optimize')}"]`)) {
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
    $('from-input').value = nodeLabel(state.from);
  }
  document.body.dataset.readyMs = String(Math.round(performance.now())); // since navigation
  document.body.dataset.ready = 'true';
}

main();
