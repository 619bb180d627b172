// format.js — how the page writes numbers. The browser test imports it to check that the
// itinerary shows exactly the figures /v1/route answered.
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const days = (hours) => (hours / 24).toFixed(2);
export const integer = (v) => whole.format(Math.round(v));
export const tonnes = (kg) => (kg / 1000).toFixed(2);

// The unit of an extra cost from /v1/stress, by what was optimised.
export const costUnit = (optimize) => ({ time: 'h', cost: 'USD', co2: 'kg CO₂' }[optimize] || '');
