// format.js — how the page writes numbers. The browser test imports it to check that the
// itinerary shows exactly the figures /v1/route answered.
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

// Unknown figures (null in the API's JSON) are written '–', never a made-up 0.
const known = (v) => v !== null && v !== undefined && Number.isFinite(v);
export const days = (hours) => (known(hours) ? (hours / 24).toFixed(2) : '–');
export const hours = (h) => (known(h) ? h.toFixed(2) : '–');
export const integer = (v) => (known(v) ? whole.format(Math.round(v)) : '–');
export const tonnes = (kg) => (known(kg) ? (kg / 1000).toFixed(2) : '–');

// An amount that may be small (hours on a road network): two decimals below 10.
export const amount = (v) => (known(v) && Math.abs(v) < 10 && v !== 0 ? v.toFixed(2) : integer(v));

// A route's time unit: days for long hauls, hours for trips under two days.
export const timeUnit = (totalHours) => (totalHours >= 48 ? 'days' : 'hours');
export const duration = (h, unit) => (unit === 'days' ? days(h) : hours(h));

// The unit of an extra cost from /v1/stress, by what was optimised; money in the
// network's own unit (/v1/info's cost_unit: USD, or "cost" for pgRouting and DIMACS).
export const costUnit = (optimize, money = 'USD') =>
  ({ time: 'h', cost: money, co2: 'kg CO₂', distance: 'km' }[optimize] || '');
