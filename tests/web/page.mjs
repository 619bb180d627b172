// page.mjs — the browser test of the map page. Starts `corridor serve --port 0 --web
// web/dist` (with --network FILE when one is given), opens the page in headless chromium
// (playwright-core, no browser download) and checks, against the server's own JSON answers:
//   the page loads with no console error and no failed request; its title is the network's
//   name (/v1/info); the basemap and every network link and node are drawn, the network
//   filling the map; the itinerary has a column for each measure the network has and none
//   for the others (no "0 USD"); a route by the search box and a click on the map (the
//   embedded model), or by two clicks (any other network), draws the route's own lines and
//   fills the itinerary with the figures of /v1/route; unticking a mode routes again with
//   `modes=`; the heat map asks /v1/stress with /v1/info's demand and colours the links by
//   its answer. On the embedded model also: a layer toggle hides its links; the TRIPP
//   scenario redraws the corridor comparison with /v1/compare?scenario=tripp. On another
//   network: no panel it has nothing for (corridors, scenarios), no text of the model
//   (Caspian, Middle Corridor, TEU, Xi'an).
// Screenshots go to $COR_ARTIFACTS (default: ./artifacts), named after the network.
// Prints the page weight.
// Usage: node page.mjs path/to/corridor [NETWORK]     (exit 0 passed, 1 failed)
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BIN = process.argv[2];
const NETWORK = process.argv[3] || null; // null: the embedded model
const TAG = NETWORK ? path.basename(NETWORK).replace(/\.(geojson|json|cor|csv|gr)(\.gz)?$/, '') : 'model';
const shot = (what) => path.join(ARTIFACTS, NETWORK ? `web-${what}-${TAG}.png` : `web-${what}.png`);
const SRC = process.env.COR_SOURCE_DIR || path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const DIST = path.join(SRC, 'web', 'dist');
const ARTIFACTS = path.resolve(process.env.COR_ARTIFACTS || 'artifacts');
const CHROMIUM = process.env.COR_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 30000; // ms; generous for the sanitizer build
// Words of the embedded model that must not appear on the page of another network.
const MODEL_WORDS = ['Caspian', 'Middle Corridor', 'TEU', "Xi'an"];
// Places of the test: the TRIPP scenario opens a direct Middle Corridor route to Nakhchivan.
const FROM = { id: 'CN-XIAN', search: "Xi'an" };
const TO = 'AZ-NAKHCHIVAN';
const SCENARIO = 'tripp';

let checks = 0;
let fails = 0;
function check(what, ok, detail = '') {
  checks++;
  if (!ok) {
    fails++;
    console.log(`FAIL: ${what}${detail ? `\n  ${detail}` : ''}`);
  }
  return ok;
}
function bail(msg) {
  console.log(`FAIL: ${msg}`);
  process.exit(1);
}

if (!BIN) bail('usage: node page.mjs path/to/corridor');
if (!existsSync(path.join(DIST, 'index.html'))) bail(`${DIST}/index.html is missing: run scripts/web.sh`);
let chromium;
try {
  chromium = createRequire(path.join(SRC, 'web', 'package.json'))('playwright-core').chromium;
} catch (e) {
  bail(`playwright-core is not in web/node_modules (${e.message.split('\n')[0]}): run scripts/web.sh`);
}
const fmt = await import(pathToFileURL(path.join(SRC, 'web', 'src', 'format.js')));

// Starts the server and resolves with its base URL once it says it listens.
function startServer() {
  const args = ['serve', '--port', '0', '--web', DIST, ...(NETWORK ? ['--network', NETWORK] : [])];
  const proc = spawn(BIN, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" line in ${TIMEOUT} ms; stderr: ${stderr}`)), TIMEOUT);
    proc.stderr.on('data', (d) => {
      stderr += d;
      const m = stderr.match(/listening on (http:\/\/\S+?)\/?\s/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`server exited (${code ?? sig}): ${stderr}`)); });
  });
  return { proc, ready, stderr: () => stderr };
}

async function stopServer(server) {
  if (server.proc.exitCode !== null || server.proc.signalCode !== null) return;
  const done = new Promise((resolve) => server.proc.once('exit', resolve));
  server.proc.kill('SIGTERM');
  const timer = setTimeout(() => server.proc.kill('SIGKILL'), 10000);
  await done;
  clearTimeout(timer);
}

async function json(base, p, init) {
  const r = await fetch(base + p, init);
  return { status: r.status, body: await r.json().catch(() => null) };
}

// The itinerary on the page against /v1/route's first route: one row per leg, a column for
// each measure the network has (/v1/info) and none for the others.
async function checkItinerary(page, route, info) {
  const has = (m) => info.measures.includes(m);
  const unit = fmt.timeUnit(route.totals.hours);
  const heads = await page.$$eval('#itinerary thead th', (ths) => ths.map((th) => th.textContent));
  const wantHeads = ['From', 'To', 'Mode', ...(has('hours') ? [unit === 'days' ? 'Days' : 'Hours'] : []),
                     ...(has('usd') ? [info.cost_unit] : []), ...(has('co2_kg') ? ['kg CO₂'] : []), 'Border'];
  check('the itinerary has a column for each measure the network has, and only those',
        JSON.stringify(heads) === JSON.stringify(wantHeads), `page ${heads.join('|')}\n  want ${wantHeads.join('|')}`);
  const cells = (sel) => page.$$eval(sel, (trs) => trs.map((tr) => ({
    from: tr.dataset.from, to: tr.dataset.to, link: tr.dataset.link || null,
    days: tr.querySelector('.days')?.textContent ?? null, usd: tr.querySelector('.usd')?.textContent ?? null,
    co2: tr.querySelector('.co2')?.textContent ?? null, border: tr.querySelector('.border').textContent,
  })));
  const figures = (x) => ({ days: has('hours') ? fmt.duration(x.hours, unit) : null,
                            usd: has('usd') ? fmt.integer(x.usd) : null, co2: has('co2_kg') ? fmt.integer(x.co2_kg) : null });
  const rows = await cells('#itinerary tbody tr');
  check('itinerary has one row per leg', rows.length === route.legs.length, `${rows.length} rows, ${route.legs.length} legs`);
  route.legs.forEach((leg, i) => {
    const r = rows[i] || {};
    const want = { from: leg.from, to: leg.to, link: leg.link, ...figures(leg) };
    const got = { from: r.from, to: r.to, link: r.link, days: r.days, usd: r.usd, co2: r.co2 };
    check(`itinerary row ${i + 1} shows leg ${i + 1} of /v1/route`, JSON.stringify(got) === JSON.stringify(want),
          `page ${JSON.stringify(got)}\n  api  ${JSON.stringify(want)}`);
    check(`itinerary row ${i + 1} marks a border crossing as the API does`, (r.border || '').startsWith('yes') === leg.border);
  });
  const [tot] = await cells('#itinerary tfoot tr');
  const t = route.totals;
  const want = figures(t);
  check('itinerary totals are those of /v1/route',
        tot.days === want.days && tot.usd === want.usd && tot.co2 === want.co2 && tot.border.startsWith(`${t.borders} border`),
        JSON.stringify({ tot, want }));
  const drawn = await page.$$eval('#route path', (ps) => ps.map((p) => [p.dataset.linkId, p.getAttribute('d')]));
  const links = route.legs.filter((l) => l.link).map((l) => l.link);
  check('the route drawn on the map is the links of /v1/route, in order', JSON.stringify(drawn.map((d) => d[0])) === JSON.stringify(links),
        `drawn ${drawn.map((d) => d[0]).join(' ')}\n  api ${links.join(' ')}`);
  check('each leg of the route is drawn from its own line (geometry=true)', drawn.every((d) => (d[1] || '').length > 5));
}

// The comparison chart on the page: {corridor: {metric: value|null}}.
async function chart(page) {
  return page.$$eval('#compare [data-corridor]', (els) => {
    const out = {};
    for (const e of els) {
      const c = (out[e.dataset.corridor] ||= {});
      c[e.dataset.metric] = e.dataset.value === undefined ? null : Number(e.dataset.value);
    }
    return out;
  });
}

function expectedChart(cmp) {
  const out = {};
  for (const c of cmp.corridors) {
    const t = c.route_found ? c.totals : null;
    out[c.id] = { days: t ? t.days : null, usd: t ? t.usd : null, co2: t ? t.co2_kg / 1000 : null };
  }
  return out;
}

function sameChart(a, b) {
  const ids = Object.keys(b);
  if (Object.keys(a).length !== ids.length) return false;
  return ids.every((id) => ['days', 'usd', 'co2'].every((m) => {
    const x = a[id] && a[id][m], y = b[id][m];
    return (x === null && y === null) || (x !== null && y !== null && Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)));
  }));
}

// Watches the page: console errors, failed requests, the size of what it loads, and the
// /v1/route requests it makes.
function watch(page) {
  const w = { consoleErrors: [], badRequests: [], sizes: {}, routes: [] };
  page.on('console', (m) => { if (m.type() === 'error') w.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => w.consoleErrors.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => w.badRequests.push(`${r.method()} ${r.url()}: ${r.failure().errorText}`));
  page.on('request', (r) => { if (new URL(r.url()).pathname === '/v1/route') w.routes.push(new URL(r.url())); });
  page.on('response', async (r) => {
    if (r.status() >= 400) w.badRequests.push(`${r.request().method()} ${r.url()}: HTTP ${r.status()}`);
    const u = new URL(r.url());
    if (!u.pathname.startsWith('/v1/') || u.pathname === '/v1/network') {
      const body = await r.body().catch(() => null);
      if (body) w.sizes[u.pathname] = { bytes: body.length, encoding: r.headers()['content-encoding'] || 'none',
                                        type: r.headers()['content-type'] || '' };
    }
  });
  return w;
}

// The page as loaded: ready, titled by the network, the map drawn and filled.
async function checkLoaded(page, base, info, w) {
  await page.goto(base + '/', { waitUntil: 'load', timeout: TIMEOUT });
  await page.waitForSelector('body[data-ready=true]', { timeout: TIMEOUT }).catch(() => {});
  check('the page says it is ready', await page.$('body[data-ready=true]') !== null,
        `status: ${await page.textContent('#status')}`);
  check('the page is titled by the network (/v1/info name)', (await page.title()).includes(info.name) &&
        (await page.textContent('#network-name')) === info.name, await page.title());
  const net = (await json(base, '/v1/network')).body;
  const nLinks = net.features.filter((f) => f.geometry && f.geometry.type !== 'Point').length;
  const nNodes = net.features.length - nLinks;
  const countries = await page.$$eval('#basemap path.country', (ps) => ps.filter((p) => (p.getAttribute('d') || '').length > 20).length);
  check('the basemap draws country shapes', countries >= (NETWORK ? 1 : 50), `${countries} countries`);
  check('every link of /v1/network is drawn', await page.locator('#links path.link').count() === nLinks);
  check('every node of /v1/network is drawn', await page.locator('#nodes circle.node').count() === nNodes);
  const box = await page.$eval('#links', (g) => { const b = g.getBoundingClientRect(); return [b.width, b.height]; });
  check('the network fills the map (fitted to /v1/info bbox)', (box[0] > 600 || box[1] > 250) && box[0] > 200 && box[1] > 150,
        `links cover ${box.join('x')} px`);
  for (const type of ['text/html', 'text/css', 'javascript']) {
    const hit = Object.entries(w.sizes).find(([, s]) => s.type.includes(type));
    check(`a file of the page is served as ${type}`, !!hit, JSON.stringify(w.sizes));
  }
  const objectives = await page.$$eval('#optimize input', (is) => is.map((i) => i.value));
  check('the page offers exactly the objectives the network has', objectives.every((o) => info.objectives.includes(o)) &&
        objectives.length > 0, `${objectives} of ${info.objectives}`);
  return net;
}

// Clicks a node on the map, zoomed in on it first (wheel over the node; to the page's
// largest zoom on a dense network, where circles would cover each other).
async function clickNode(page, id, dense = false) {
  await page.click('#zoom-reset');
  const node = page.locator(`#nodes circle[data-node-id="${id}"]`);
  const nb = await node.boundingBox();
  await page.mouse.move(nb.x + nb.width / 2, nb.y + nb.height / 2);
  for (let i = 0; i < (dense ? 3 : 1); i++) await page.mouse.wheel(0, -600);
  await node.click();
}

// Waits for the itinerary of the pair and checks it against /v1/route.
async function checkRoute(page, base, info, from, to, extra = '') {
  await page.waitForFunction(([a, b]) => {
    const tr = document.querySelector('#itinerary tbody tr');
    const rows = [...document.querySelectorAll('#itinerary tbody tr')];
    return tr && rows[0].dataset.from === a && rows[rows.length - 1].dataset.to === b;
  }, [from, to], { timeout: TIMEOUT }).catch(() => {});
  const route = await json(base, `/v1/route?from=${from}&to=${to}&optimize=${await optimized(page)}${extra}&geometry=true`);
  if (check(`/v1/route answers ${from} → ${to}`, route.status === 200, JSON.stringify(route.body))) {
    await checkItinerary(page, route.body.routes[0], info);
    return route.body.routes[0];
  }
  return null;
}

const optimized = (page) => page.$eval('#optimize input:checked', (i) => i.value);

// Unticking a mode routes again with `modes=` (not only the drawing).
async function checkModeFilter(page, w, info, mode) {
  const before = w.routes.length;
  await page.uncheck(`#mode-toggles input[value=${mode}]`);
  await page.waitForFunction(() => !document.getElementById('status').textContent.startsWith('Routing'),
                             null, { timeout: TIMEOUT }).catch(() => {});
  const sent = w.routes.slice(before).map((u) => u.searchParams.get('modes'));
  const others = info.modes.filter((m) => m !== mode);
  if (others.length === 0) {
    check(`unticking the only mode (${mode}) sends no route request and says why`,
          sent.length === 0 && (await page.textContent('#status')).includes('mode'), JSON.stringify(sent));
  } else {
    check(`unticking ${mode} routes again with modes=${others.join(',')}`,
          sent.length > 0 && sent[sent.length - 1] === others.join(','), JSON.stringify(sent));
    const legModes = await page.$$eval('#itinerary tbody tr[data-kind=link]', (trs) => trs.map((tr) => tr.cells[2].textContent));
    check(`with ${mode} unticked no leg of the itinerary is ${mode}`, legModes.every((m) => !m.startsWith(mode)), legModes.join(' '));
  }
  await page.check(`#mode-toggles input[value=${mode}]`);
  await page.waitForFunction(() => !document.getElementById('status').textContent.startsWith('Routing'),
                             null, { timeout: TIMEOUT }).catch(() => {});
}

// The heat map: asked with /v1/info's demand and the page's scenario, coloured by /v1/stress.
async function checkHeat(page, base, info, scenario) {
  const sent = page.waitForRequest((r) => r.url().endsWith('/v1/stress') && r.method() === 'POST', { timeout: TIMEOUT });
  await page.check('#heat-toggle');
  const req = await sent;
  await page.waitForSelector('#links.heat', { timeout: TIMEOUT });
  await page.waitForFunction(() => !document.getElementById('heat-scale').hidden, null, { timeout: TIMEOUT }).catch(() => {});
  const ans = await json(base, '/v1/stress', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                                               body: req.postData() });
  const body = JSON.parse(req.postData());
  check('the heat map asks with /v1/info demand and the page scenario',
        JSON.stringify(body.od) === JSON.stringify(info.demand.pairs) && body.od.length >= 2 &&
        (body.scenario || '') === scenario, req.postData());
  check('/v1/stress answers the heat map', ans.status === 200, JSON.stringify(ans.body).slice(0, 300));
  const got = await page.$$eval('#links path.link', (ps) => ps.map((p) => ({
    id: p.dataset.linkId, cls: p.classList.contains('heat-cut') ? 'cut' : p.classList.contains('heat-on') ? 'on' : 'off',
    stroke: getComputedStyle(p).stroke })));
  const byId = new Map(got.map((g) => [g.id, g]));
  let agree = 0;
  const wrong = [];
  for (const e of (ans.body.elements || []).filter((x) => x.kind === 'link')) {
    const want = e.pairs_disconnected > 0 ? 'cut' : e.extra_cost > 0 ? 'on' : 'off';
    const g = byId.get(e.id);
    if (g && g.cls === want) agree++; else wrong.push(`${e.id}: page ${g && g.cls}, api ${want}`);
  }
  check('every link is coloured by its extra cost from /v1/stress', wrong.length === 0 && agree > 0, wrong.slice(0, 5).join('\n  '));
  const colours = new Set(got.filter((g) => g.cls === 'on').map((g) => g.stroke));
  check('the heat map uses more than one colour', colours.size >= 2, [...colours].join(' '));
  await page.screenshot({ path: shot('heat') });
}

// The embedded model: the search box and a click, the layer toggle, the TRIPP comparison.
async function runModel(page, base, info, net, w) {
  const gas = net.features.filter((f) => f.properties.layer === 'gas' && f.geometry.type !== 'Point').length;
  await page.uncheck('#layer-toggles input[value=gas]');
  const hidden = await page.$$eval('#links path.link', (ps) => ps.filter((p) => getComputedStyle(p).display === 'none').length);
  check('unticking the gas layer hides exactly the gas links', hidden === gas && gas > 0, `${hidden} hidden, ${gas} gas links`);
  await page.check('#layer-toggles input[value=gas]');

  await page.fill('#from-input', FROM.search);
  const sugg = page.locator(`#from-list li[data-node-id="${FROM.id}"]`);
  await sugg.waitFor({ timeout: TIMEOUT });
  await sugg.click();
  check('the search box sets the origin', (await page.inputValue('#from-input')).includes(FROM.id));
  await clickNode(page, TO);
  check('a click on the map sets the destination', (await page.inputValue('#to-input')).includes(TO));
  await page.waitForSelector('#compare [data-testid=compare-bar]', { timeout: TIMEOUT });
  await checkRoute(page, base, info, FROM.id, TO);
  await page.click('#zoom-reset');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: shot('page') });
  await checkModeFilter(page, w, info, 'road');

  const before = await chart(page);
  const plain = await json(base, `/v1/compare?from=${FROM.id}&to=${TO}&optimize=time`);
  check('the comparison chart shows /v1/compare', sameChart(before, expectedChart(plain.body)),
        `page ${JSON.stringify(before)}\n  api  ${JSON.stringify(expectedChart(plain.body))}`);
  const scen = info.scenarios.map((s) => s.id);
  if (check(`/v1/info lists the scenario ${SCENARIO}`, scen.includes(SCENARIO), JSON.stringify(scen))) {
    const withScen = await json(base, `/v1/compare?from=${FROM.id}&to=${TO}&optimize=time&scenario=${SCENARIO}`);
    const want = expectedChart(withScen.body);
    check('the scenario changes the comparison (the test pair is chosen so that it does)', !sameChart(before, want));
    await page.check(`[data-testid=scenario-${SCENARIO}]`);
    await page.waitForFunction(() => document.getElementById('compare-title').textContent.includes('scenario'),
                               null, { timeout: TIMEOUT }).catch(() => {});
    const after = await chart(page);
    check(`ticking ${SCENARIO} redraws the comparison with /v1/compare?scenario=${SCENARIO}`, sameChart(after, want),
          `page ${JSON.stringify(after)}\n  api  ${JSON.stringify(want)}`);
    await checkRoute(page, base, info, FROM.id, TO, `&scenario=${SCENARIO}`);
    const scenNet = (await json(base, `/v1/network?scenario=${SCENARIO}`)).body;
    const opened = scenNet.features.filter((f) => f.geometry && f.geometry.type !== 'Point' && f.properties.status === 'open')
      .map((f) => f.properties.id);
    const loaded = new Map(net.features.map((f) => [f.properties.id, f.properties.status]));
    const changed = opened.filter((id) => loaded.get(id) === 'planned');
    check(`${SCENARIO} opens planned links in /v1/network?scenario=`, changed.length > 0, JSON.stringify(changed));
    await page.waitForFunction((id) => document.querySelector(`[data-link-id="${id}"]`).dataset.status === 'open',
                               changed[0], { timeout: TIMEOUT }).catch(() => {});
    const drawn = await page.$$eval('path.link[data-link-id]', (els) => Object.fromEntries(els.map((e) => [e.dataset.linkId, e.dataset.status])));
    const wrong = changed.filter((id) => drawn[id] !== 'open');
    check(`ticking ${SCENARIO} draws the ${changed.length} links it opens as open`, wrong.length === 0, JSON.stringify(wrong));
  }
  await checkHeat(page, base, info, SCENARIO);
}

// Any other network: a route by two clicks between the first pair of the heat-map demand
// (places spread far apart), no panel the network has nothing for, no text of the model.
async function runOther(page, base, info, net, w) {
  check('no comparison panel without corridors', info.corridors.length > 0 || await page.isHidden('#compare-panel'));
  check('no scenario panel without scenarios', info.scenarios.length > 0 || await page.isHidden('#scenarios'));
  const pair = info.demand && info.demand.pairs[0];
  if (!check('/v1/info gives a demand (two places to route between)', !!pair, JSON.stringify(info.demand))) return;
  await clickNode(page, pair.from, info.nodes > 500);
  const label = (id) => { const n = net.features.find((f) => f.properties.id === id && !f.properties.from);
                          return n && n.properties.name ? `${n.properties.name} (${id})` : id; };
  check('a first click on the map sets the origin', (await page.inputValue('#from-input')) === label(pair.from),
        `${await page.inputValue('#from-input')} for ${pair.from}`);
  await clickNode(page, pair.to, info.nodes > 500);
  check('a second click on the map sets the destination', (await page.inputValue('#to-input')) === label(pair.to),
        `${await page.inputValue('#to-input')} for ${pair.to}`);
  await checkRoute(page, base, info, pair.from, pair.to);
  await page.click('#zoom-reset');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: shot('page') });
  await checkModeFilter(page, w, info, info.modes.includes('road') ? 'road' : info.modes[0]);
  await checkHeat(page, base, info, '');
  const text = await page.evaluate(() => `${document.title}\n${document.body.innerText}`);
  const own = JSON.stringify(info);
  for (const word of MODEL_WORDS.filter((x) => !own.includes(x)))
    check(`no "${word}" on the page of this network`, !text.includes(word), text.slice(Math.max(0, text.indexOf(word) - 80), text.indexOf(word) + 80));
  if (!info.measures.includes('usd'))
    check(`no money on the page of a network without money figures (no "${info.cost_unit}", no "0 USD")`,
          !text.includes(info.cost_unit) && !/\b0 USD\b/.test(text), text.slice(0, 400));
}

async function run(base, browser) {
  const page = await browser.newPage({ viewport: { width: 1366, height: 660 } });
  const w = watch(page);
  const info = (await json(base, '/v1/info')).body;
  const net = await checkLoaded(page, base, info, w);
  const readyMs = await page.$eval('body', (b) => b.dataset.readyMs);
  if (NETWORK) await runOther(page, base, info, net, w);
  else await runModel(page, base, info, net, w);

  check('no console errors', w.consoleErrors.length === 0, w.consoleErrors.join('\n  '));
  check('no failed requests', w.badRequests.length === 0, w.badRequests.join('\n  '));
  const parts = ['/', '/app.js', '/style.css', '/countries.json'];
  const sizes = w.sizes;
  const total = parts.reduce((s, p) => s + (sizes[p] ? sizes[p].bytes : 0), 0);
  check('the page weight is measured', parts.every((p) => sizes[p]), JSON.stringify(sizes));
  console.log(`network: ${info.name} (${info.nodes} nodes, ${info.links} links)`);
  console.log(`page weight: ${parts.map((p) => `${p} ${sizes[p] ? sizes[p].bytes : '?'}`).join(', ')}; ` +
              `total ${total} bytes (content-encoding: ${sizes['/app.js'] ? sizes['/app.js'].encoding : '?'}); ` +
              `/v1/network ${sizes['/v1/network'] ? sizes['/v1/network'].bytes : '?'} bytes; ` +
              `map drawn ${readyMs} ms after navigation started (first load, fresh browser)`);
  console.log(`screenshots: ${shot('page')} ${shot('heat')}`);
  await page.close();
}

const server = startServer();
let browser;
try {
  const base = await server.ready;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  await run(base, browser);
} catch (e) {
  check('the test ran to its end', false, e.stack || e.message);
} finally {
  if (browser) await browser.close();
  await stopServer(server);
}
const err = server.stderr();
check('the server reports no sanitizer error', !/AddressSanitizer|LeakSanitizer|runtime error:/.test(err), err.slice(0, 2000));
if (fails) {
  console.log(`${fails} of ${checks} checks failed`);
  process.exit(1);
}
console.log(`all ${checks} checks passed`);
