/*
 * cch_figures.c — the figures (hours, USD, CO2, km, transfers, borders) of routes found
 * by the index, summed per slot and remembered.
 *
 * A table's routes share their upper shortcuts: unpacking each route to its arcs costs
 * the route's length, thousands of arcs on a road graph, for every entry. Summing a
 * shortcut's figures once (from its two halves, post-order) and keeping them in a hash
 * table by slot makes an entry cost its top-level slots instead. The cache belongs to a
 * query, is tied to one metric and its version (a partial customisation changes the
 * routes), and is emptied when it grows past a fixed size, so memory stays bounded.
 *
 * Trade-off: sums are grouped by shortcut, not taken arc after arc, so fractional
 * figures may differ from the unpacked sum in the last digits; costs come from the
 * search, not from here.
 */
#include "cch.h"

#include <stdlib.h>
#include <string.h>

#define FIG_MAX_ENTRIES (1u << 19) /* about 28 MB at most */

struct cch_figures {
    uint32_t *key; /* slot, COR_NONE when empty */
    cor_totals *val;
    uint32_t cap, n; /* cap a power of two */
    const cor_cch_metric *m;
    uint32_t version;
    cch_slot_ref *stack;
    size_t n_stack, cap_stack;
};

cch_figures *cch_figures_new(void)
{
    return calloc(1, sizeof(cch_figures));
}

void cch_figures_free(cch_figures *f)
{
    if (!f) return;
    free(f->key);
    free(f->val);
    free(f->stack);
    free(f);
}

static inline uint32_t slot_hash(uint32_t s, uint32_t cap)
{
    return (s * 0x9e3779b1u) & (cap - 1);
}

static const cor_totals *fig_get(const cch_figures *f, uint32_t s)
{
    if (f->cap == 0) return NULL;
    for (uint32_t i = slot_hash(s, f->cap);; i = (i + 1) & (f->cap - 1)) {
        if (f->key[i] == s) return &f->val[i];
        if (f->key[i] == COR_NONE) return NULL;
    }
}

static bool fig_resize(cch_figures *f, uint32_t cap)
{
    uint32_t *key = malloc((size_t)cap * sizeof *key), *old_key = f->key;
    cor_totals *val = malloc((size_t)cap * sizeof *val), *old_val = f->val;
    if (!key || !val) {
        free(key), free(val);
        return false;
    }
    memset(key, 0xff, (size_t)cap * sizeof *key);
    uint32_t old_cap = f->cap;
    f->key = key, f->val = val, f->cap = cap;
    for (uint32_t i = 0; i < old_cap; i++)
        if (old_key[i] != COR_NONE) {
            uint32_t j = slot_hash(old_key[i], cap);
            while (key[j] != COR_NONE)
                j = (j + 1) & (cap - 1);
            key[j] = old_key[i];
            val[j] = old_val[i];
        }
    free(old_key);
    free(old_val);
    return true;
}

static bool fig_put(cch_figures *f, uint32_t s, const cor_totals *t)
{
    if (2 * (f->n + 1) > f->cap && !fig_resize(f, f->cap ? 2 * f->cap : 1024)) return false;
    uint32_t i = slot_hash(s, f->cap);
    while (f->key[i] != COR_NONE && f->key[i] != s)
        i = (i + 1) & (f->cap - 1);
    if (f->key[i] == COR_NONE) f->n++;
    f->key[i] = s;
    f->val[i] = *t;
    return true;
}

/* Empties the cache when it serves another metric (or version) or has grown too big. */
static void fig_start(cch_figures *f, const cor_cch_metric *m)
{
    if (f->m == m && f->version == m->version && f->n < FIG_MAX_ENTRIES) return;
    if (f->key) memset(f->key, 0xff, (size_t)f->cap * sizeof *f->key);
    f->n = 0;
    f->m = m;
    f->version = m->version;
}

static bool stack_push(cch_figures *f, cch_slot_ref s)
{
    if (!cch_grow(&f->stack, &f->cap_stack, f->n_stack + 1, sizeof *f->stack)) return false;
    f->stack[f->n_stack++] = s;
    return true;
}

static void totals_merge(cor_totals *t, const cor_totals *a, const cor_totals *b)
{
    t->cost = a->cost + b->cost;
    t->hours = a->hours + b->hours;
    t->usd = a->usd + b->usd;
    t->co2_kg = a->co2_kg + b->co2_kg;
    t->km = a->km + b->km;
    t->transfers = a->transfers + b->transfers;
    t->borders = a->borders + b->borders;
}

/* Post-order over the slot's halves: a slot is summed once both halves are known. */
static bool fill(cch_figures *f, const cor_cch_metric *m, cch_slot_ref top, cch_leaf_fn leaf)
{
    const cor_cch *c = m->c;
    f->n_stack = 0;
    if (!stack_push(f, top)) return false;
    while (f->n_stack > 0) {
        cch_slot_ref s = f->stack[f->n_stack - 1], a, b;
        uint32_t arc;
        if (fig_get(f, s.slot)) {
            f->n_stack--;
            continue;
        }
        cor_totals t;
        if (!cch_slot_children(m, s, &a, &b, &arc)) {
            if (arc == COR_NONE) return false;
            leaf(c->g, c->order[s.slot & 1 ? s.hi : s.lo], arc, &t);
        } else {
            const cor_totals *ta = fig_get(f, a.slot), *tb = fig_get(f, b.slot);
            if (!ta || !tb) { /* halves first */
                if ((!ta && !stack_push(f, a)) || (!tb && !stack_push(f, b))) return false;
                continue;
            }
            totals_merge(&t, ta, tb);
        }
        if (!fig_put(f, s.slot, &t)) return false;
        f->n_stack--;
    }
    return true;
}

bool cch_figures_add(cch_figures *f, const cor_cch_metric *m, const cch_slot_ref *slots, size_t n,
                     cch_leaf_fn leaf, cor_totals *t)
{
    fig_start(f, m);
    for (size_t i = 0; i < n; i++) {
        if (!fig_get(f, slots[i].slot) && !fill(f, m, slots[i], leaf)) return false;
        cor_totals sum;
        totals_merge(&sum, t, fig_get(f, slots[i].slot));
        *t = sum;
    }
    return true;
}
