// map.js — the map: countries from world-atlas under the network's links and nodes, drawn in
// SVG with a Mercator projection fitted to the network's box (/v1/info's bbox). Zoom and pan move one group
// (wheel, drag, buttons); strokes keep their width (non-scaling-stroke) and node circles are
// resized so they stay the same size on screen. Every link and node carries its id in
// data-link-id / data-node-id, so the page and its tests find them by id.
import { geoMercator, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';

const NS = 'http://www.w3.org/2000/svg';
export const WIDTH = 1000;
export const HEIGHT = 560;
const NODE_R = 3.2;
const END_R = 6;
const MAX_ZOOM = 16;

function svgEl(name, attrs, parent) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
}

function titled(e, text) {
  svgEl('title', {}, e).textContent = text;
  return e;
}

// Heat colour for t in [0, 1]: light yellow, orange, dark red.
const RAMP = [[0xfe, 0xe0, 0x8b], [0xf4, 0x6d, 0x43], [0xa5, 0x00, 0x26]];
export function heatColour(t) {
  const u = Math.max(0, Math.min(1, t)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(u));
  const f = u - i;
  const c = RAMP[i].map((v, j) => Math.round(v + (RAMP[i + 1][j] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export class MapView {
  constructor(svg, onNodeClick) {
    this.svg = svg;
    this.group = svg.querySelector('#zoom');
    this.basemap = svg.querySelector('#basemap');
    this.linkLayer = svg.querySelector('#links');
    this.routeLayer = svg.querySelector('#route');
    this.nodeLayer = svg.querySelector('#nodes');
    this.labelLayer = svg.querySelector('#labels');
    this.onNodeClick = onNodeClick;
    this.links = new Map(); // id -> { feature, path }
    this.nodes = new Map(); // id -> { feature, circle, xy, links: [ids] }
    this.view = { k: 1, x: 0, y: 0 };
    this.ends = { from: null, to: null };
    this.dragged = false;
    this.projection = null;
    this.listenForZoom();
  }

  // Fits the projection to the box [west, south, east, north] (the features' own extent
  // when there is none) and draws links and nodes. Call before setBasemap.
  setNetwork(fc, bbox) {
    const links = fc.features.filter((f) => f.geometry && f.geometry.type !== 'Point');
    const nodes = fc.features.filter((f) => f.geometry && f.geometry.type === 'Point');
    const extent = bbox ? { type: 'MultiPoint', coordinates: [[bbox[0], bbox[1]], [bbox[2], bbox[3]]] }
                        : { type: 'FeatureCollection', features: fc.features };
    this.projection = geoMercator().fitExtent([[12, 12], [WIDTH - 12, HEIGHT - 12]], extent);
    this.path = geoPath(this.projection);
    for (const f of links) {
      const p = f.properties;
      const cls = ['link', `mode-${p.mode}`, `layer-${p.layer}`, p.status || 'open'];
      const path = svgEl('path', {
        d: this.path(f), class: cls.join(' '), 'data-link-id': p.id, 'data-mode': p.mode,
        'data-layer': p.layer, 'data-status': p.status || 'open',
      }, this.linkLayer);
      const km = p.length_km ? `, ${Math.round(p.length_km)} km` : '';
      titled(path, `${p.id}\n${p.mode} (${p.layer}), ${p.status || 'open'}${km}`);
      this.links.set(p.id, { feature: f, path });
    }
    for (const f of nodes) {
      const p = f.properties;
      const xy = this.projection(f.geometry.coordinates);
      const circle = svgEl('circle', {
        cx: xy[0], cy: xy[1], r: NODE_R, class: 'node', 'data-node-id': p.id, 'data-kind': p.kind || '',
      }, this.nodeLayer);
      titled(circle, `${p.name} (${p.id})${p.kind ? ', ' + p.kind.replace(/_/g, ' ') : ''}`);
      circle.addEventListener('click', (ev) => {
        ev.stopPropagation();
        if (!this.dragged) this.onNodeClick(p.id);
      });
      this.nodes.set(p.id, { feature: f, circle, xy, links: [] });
    }
    for (const [id, l] of this.links) {
      for (const end of [l.feature.properties.from, l.feature.properties.to]) {
        const n = this.nodes.get(end);
        if (n) n.links.push(id);
      }
    }
  }

  // Redraws each link's status (open, planned, closed, mined) as the network has it under a
  // scenario: fc is /v1/network?scenario=ID.
  setStatuses(fc) {
    for (const f of fc.features) {
      const l = f.geometry && f.geometry.type !== 'Point' && this.links.get(f.properties.id);
      if (!l) continue;
      const status = f.properties.status || 'open';
      l.path.classList.remove(l.path.dataset.status);
      l.path.classList.add(status);
      l.path.dataset.status = status;
    }
  }

  setBasemap(topo) {
    const countries = feature(topo, topo.objects.countries).features;
    for (const c of countries) {
      titled(svgEl('path', { d: this.path(c), class: 'country' }, this.basemap), c.properties.name);
    }
  }

  // Shows the links whose layer and mode are both on; hides nodes all of whose links are hidden.
  filter(layersOn, modesOn) {
    for (const { feature: f, path } of this.links.values()) {
      const on = layersOn.has(f.properties.layer) && modesOn.has(f.properties.mode);
      path.classList.toggle('hidden', !on);
    }
    for (const n of this.nodes.values()) {
      const shown = n.links.length === 0 ||
                    n.links.some((id) => !this.links.get(id).path.classList.contains('hidden'));
      n.circle.classList.toggle('hidden', !shown);
    }
  }

  // Marks the origin and destination and labels them.
  setEnds(from, to) {
    this.ends = { from, to };
    for (const [id, n] of this.nodes) {
      n.circle.classList.toggle('from', id === from);
      n.circle.classList.toggle('to', id === to);
      if (id === from || id === to) this.nodeLayer.appendChild(n.circle); // on top
    }
    this.labelLayer.replaceChildren();
    for (const id of [from, to]) {
      const n = id && this.nodes.get(id);
      if (!n) continue;
      const t = svgEl('text', { 'data-node-id': id }, this.labelLayer);
      t.textContent = n.feature.properties.name;
    }
    this.applyView();
  }

  // Draws a route from its legs (/v1/route?geometry=true: each link leg carries its line,
  // in travel order); returns the ids of link legs that came without a line.
  showRoute(legs) {
    this.routeLayer.replaceChildren();
    const missing = [];
    for (const leg of legs.filter((l) => l.link)) {
      if (!leg.geometry) { missing.push(leg.link); continue; }
      svgEl('path', { d: this.path(leg.geometry), 'data-link-id': leg.link }, this.routeLayer);
    }
    return missing;
  }

  // Colours links by criticality: elements from /v1/stress, or null to go back to modes.
  setHeat(elements) {
    for (const { path } of this.links.values()) {
      path.classList.remove('heat-on', 'heat-cut');
      path.style.stroke = '';
      path.removeAttribute('data-heat');
    }
    this.linkLayer.classList.toggle('heat', !!elements);
    if (!elements) return 0;
    const max = Math.max(0, ...elements.map((e) => e.extra_cost || 0));
    for (const e of elements) {
      const l = e.kind === 'link' && this.links.get(e.id);
      if (!l) continue;
      l.path.setAttribute('data-heat', e.extra_cost);
      if (e.pairs_disconnected > 0) {
        l.path.classList.add('heat-cut');
      } else if (e.extra_cost > 0 && max > 0) {
        l.path.classList.add('heat-on');
        l.path.style.stroke = heatColour(Math.sqrt(e.extra_cost / max));
      }
    }
    return max;
  }

  // --- zoom and pan ---
  applyView() {
    const { k, x, y } = this.view;
    this.group.setAttribute('transform', `translate(${x},${y}) scale(${k})`);
    // Circles grow a little on screen as the map zooms in (k^0.3), not k-fold.
    for (const [id, n] of this.nodes) {
      const end = id === this.ends.from || id === this.ends.to;
      n.circle.setAttribute('r', (end ? END_R : NODE_R) / Math.pow(k, 0.7));
    }
    for (const t of this.labelLayer.children) {
      const n = this.nodes.get(t.getAttribute('data-node-id'));
      t.setAttribute('x', n.xy[0] + 8 / k);
      t.setAttribute('y', n.xy[1] - 6 / k);
      t.style.fontSize = `${12 / k}px`;
      t.style.strokeWidth = `${3 / k}px`;
    }
  }

  // Zooms by factor f keeping the map point under (px, py) (SVG units) in place.
  zoomAt(f, px, py) {
    const { k, x, y } = this.view;
    const k2 = Math.max(1, Math.min(MAX_ZOOM, k * f));
    this.view = { k: k2, x: px - (px - x) * (k2 / k), y: py - (py - y) * (k2 / k) };
    this.applyView();
  }

  resetView() {
    this.view = { k: 1, x: 0, y: 0 };
    this.applyView();
  }

  svgPoint(ev) {
    const m = this.svg.getScreenCTM();
    return [(ev.clientX - m.e) / m.a, (ev.clientY - m.f) / m.d];
  }

  listenForZoom() {
    this.svg.addEventListener('wheel', (ev) => {
      ev.preventDefault();
      const [px, py] = this.svgPoint(ev);
      this.zoomAt(Math.exp(-ev.deltaY * 0.002), px, py);
    }, { passive: false });
    this.svg.addEventListener('pointerdown', (ev) => {
      if (ev.button !== 0) return;
      const start = { cx: ev.clientX, cy: ev.clientY, x: this.view.x, y: this.view.y };
      const scale = this.svg.getScreenCTM().a;
      this.dragged = false;
      const move = (e) => {
        const dx = e.clientX - start.cx, dy = e.clientY - start.cy;
        if (!this.dragged && Math.hypot(dx, dy) < 4) return;
        this.dragged = true;
        this.svg.classList.add('dragging');
        this.view = { ...this.view, x: start.x + dx / scale, y: start.y + dy / scale };
        this.applyView();
      };
      const up = () => {
        window.removeEventListener('pointermove', move);
        window.removeEventListener('pointerup', up);
        this.svg.classList.remove('dragging');
      };
      window.addEventListener('pointermove', move);
      window.addEventListener('pointerup', up);
    });
    const centre = () => [WIDTH / 2, HEIGHT / 2];
    document.getElementById('zoom-in').addEventListener('click', () => this.zoomAt(1.6, ...centre()));
    document.getElementById('zoom-out').addEventListener('click', () => this.zoomAt(1 / 1.6, ...centre()));
    document.getElementById('zoom-reset').addEventListener('click', () => this.resetView());
  }
}
