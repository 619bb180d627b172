// build.mjs — builds the page into dist/: the bundled script (esbuild), the HTML and CSS,
// and the basemap (world-atlas countries: the whole world, since the page shows any network).
// Usage: node build.mjs   (run by scripts/web.sh after npm ci)
import { build } from 'esbuild';
import { readFile, writeFile, mkdir, copyFile, rename } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, 'dist');
const require = createRequire(import.meta.url);

// Countries whose bounding box meets this box (lon/lat) stay in the basemap. It was the
// corridor's region; a served network may lie anywhere (Andorra, Baltimore, a sea-lane
// network), so it is the whole world now: 105 KB instead of 72 KB.
const KEEP_BOX = [-180, -90, 180, 90];
const ATLAS = 'world-atlas/countries-110m.json';

// Writes through a temporary file and a rename, so dist/ never holds half a file.
async function writeAtomic(file, data) {
  await writeFile(file + '.tmp', data);
  await rename(file + '.tmp', file);
}

// Bounding box of a TopoJSON geometry, from its (delta-encoded, quantized) arcs.
function geometryBox(topo, geom) {
  const [sx, sy] = topo.transform.scale;
  const [tx, ty] = topo.transform.translate;
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (arcs) => {
    for (const a of arcs) {
      if (Array.isArray(a)) { visit(a); continue; }
      let x = 0, y = 0;
      for (const [dx, dy] of topo.arcs[a < 0 ? ~a : a]) {
        x += dx; y += dy;
        const lon = x * sx + tx, lat = y * sy + ty;
        if (lon < box[0]) box[0] = lon;
        if (lat < box[1]) box[1] = lat;
        if (lon > box[2]) box[2] = lon;
        if (lat > box[3]) box[3] = lat;
      }
    }
  };
  visit(geom.arcs || []);
  return box;
}

// The countries object only, with the geometries outside KEEP_BOX dropped and the arcs no
// kept geometry uses removed (arc indices renumbered; ~i marks a reversed arc).
export function pruneAtlas(topo) {
  const meets = (b) => b[0] <= KEEP_BOX[2] && b[2] >= KEEP_BOX[0] &&
                       b[1] <= KEEP_BOX[3] && b[3] >= KEEP_BOX[1];
  const kept = topo.objects.countries.geometries.filter((g) => g.arcs && meets(geometryBox(topo, g)));
  const renumber = new Map();
  const arcs = [];
  const remap = (list) => list.map((a) => {
    if (Array.isArray(a)) return remap(a);
    const i = a < 0 ? ~a : a;
    if (!renumber.has(i)) { renumber.set(i, arcs.length); arcs.push(topo.arcs[i]); }
    const j = renumber.get(i);
    return a < 0 ? ~j : j;
  });
  const geometries = kept.map((g) => ({ type: g.type, id: g.id, properties: { name: g.properties.name },
                                         arcs: remap(g.arcs) }));
  return { type: 'Topology', transform: topo.transform,
           objects: { countries: { type: 'GeometryCollection', geometries } }, arcs };
}

async function main() {
  await mkdir(dist, { recursive: true });
  await build({
    entryPoints: [path.join(here, 'src/main.js')],
    bundle: true, minify: true, format: 'iife', target: 'es2020',
    outfile: path.join(dist, 'app.js.tmp'), legalComments: 'none', logLevel: 'warning',
  });
  await rename(path.join(dist, 'app.js.tmp'), path.join(dist, 'app.js'));
  for (const f of ['index.html', 'style.css']) {
    await copyFile(path.join(here, 'src', f), path.join(dist, f + '.tmp'));
    await rename(path.join(dist, f + '.tmp'), path.join(dist, f));
  }
  const atlas = JSON.parse(await readFile(require.resolve(ATLAS), 'utf8'));
  await writeAtomic(path.join(dist, 'countries.json'), JSON.stringify(pruneAtlas(atlas)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((e) => { console.error(`web build: ${e.message}`); process.exit(1); });
}
