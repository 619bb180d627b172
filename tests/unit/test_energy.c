/*
 * test_energy.c — deliverable gas per region and the EU N-1 (Regulation (EU) 2017/1938,
 * Annex II) on a worked example where every term is known and computed by hand.
 *
 * The worked example (capacities in bcm/year, chosen as multiples of 0.365 so that each
 * is a whole number of mcm/d: 0.365 bcm/year = 1 mcm/d):
 *
 *        F1 (XX, field) --L1 9.125 (25)--> E1 (AA) --L4 no limit--> C (AA, consumer)
 *                                           |                        ^
 *                                           +--L6 1.095 (3)--> D (BB, consumer)
 *                                                                    |
 *        F3 (YY, field) --L2 3.65 (10)---> E2 (AA) --L5 5.475 (15)---+
 *        F2 (AA, field, node capacity 1.825 (5)) --L3 no figure--> E2
 *        P (YY) --L8 0.73 (2), planned--> E1          T (XX) --road R1--> F1
 *
 * F1 also touches a transport link (R1) and has capacity 1 — in TEU, so it must not limit
 * gas. The calculated area is AA: {E1, E2, F2, C}.
 *
 *   EPm  = L1 + L2                    = 25 + 10 = 35 mcm/d   (L8 only when planned count)
 *   Pm   = F2's node capacity         =  5
 *   Sm   = 7, LNGm = 8                (given)
 *   Im   = the largest of L1 (25), L2 (10), F2 (5); no node joins two entry links = 25 (L1)
 *   Dmax = 40
 *   N-1  = (35 + 5 + 7 + 8 - 25) / 40 × 100 = 30 / 40 × 100 = 75 %
 *   with Deff = 4: 30 / (40 - 4) × 100 = 83.33 %
 *
 * Deliverable gas to AA (sink C), by hand: through E1, L1's 9.125 (L4 has no limit); through
 * E2, F3's 3.65 plus F2's 1.825 = 5.475, which L5 (5.475) carries: 14.6 bcm/year. To BB
 * (sink D): L6, 1.095. Without Im (L1): only E2's 5.475.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corridor.h"

#define MCM(x) ((x) * 0.365) /* mcm/d -> bcm/year */
#define EPS 1e-9

static void node(cor_builder *b, const char *id, const char *cc, const char *kind, double cap)
{
    cor_node n;
    cor_node_init(&n);
    n.id = id, n.country = cc, n.kind = kind, n.capacity = cap;
    assert_int_equal(cor_builder_add_node(b, &n, -1, -1), COR_OK);
}

static void gas_link(cor_builder *b, const char *id, const char *from, const char *to, double cap,
                     cor_link_status status)
{
    cor_link l;
    cor_link_init(&l);
    l.id = id, l.from_id = from, l.to_id = to, l.capacity = cap, l.status = status;
    l.layer = COR_LAYER_GAS, l.mode = COR_MODE_PIPELINE, l.backward = false;
    assert_int_equal(cor_builder_add_link(b, &l, NULL, 0, -1, -1), COR_OK);
}

/* The worked example; with `junction`, an extra entry link L7 (F1 -> E2, 15 mcm/d) makes
 * F1 a node where two entry links meet (25 + 15 = 40 mcm/d). */
static cor_network *example(bool junction, bool unknown_entry)
{
    cor_builder *b = cor_builder_new("example");
    node(b, "F1", "XX", "field", 1); /* 1 TEU: F1 also has a road link */
    node(b, "F2", "AA", "field", MCM(5));
    node(b, "F3", "YY", "production", NAN);
    node(b, "E1", "AA", "border_crossing", NAN);
    node(b, "E2", "AA", "landing", NAN);
    node(b, "C", "AA", "consumer_region", NAN);
    node(b, "D", "BB", "consumer_region", NAN);
    node(b, "P", "YY", "compressor", NAN);
    node(b, "T", "XX", "city", NAN);
    gas_link(b, "L1", "F1", "E1", MCM(25), COR_STATUS_OPEN);
    gas_link(b, "L2", "F3", "E2", unknown_entry ? NAN : MCM(10), COR_STATUS_OPEN);
    gas_link(b, "L3", "F2", "E2", NAN, COR_STATUS_OPEN);
    gas_link(b, "L4", "E1", "C", NAN, COR_STATUS_OPEN);
    gas_link(b, "L5", "E2", "C", MCM(15), COR_STATUS_OPEN);
    gas_link(b, "L6", "E1", "D", MCM(3), COR_STATUS_OPEN);
    gas_link(b, "L8", "P", "E1", MCM(2), COR_STATUS_PLANNED);
    if (junction) gas_link(b, "L7", "F1", "E2", MCM(15), COR_STATUS_OPEN);
    cor_link r;
    cor_link_init(&r);
    r.id = "R1", r.from_id = "T", r.to_id = "F1", r.mode = COR_MODE_ROAD;
    assert_int_equal(cor_builder_add_link(b, &r, NULL, 0, -1, -1), COR_OK);
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(cor_builder_finish(b, &net, &err), COR_OK);
    cor_error_clear(&err);
    return net;
}

static const char *const AA[] = {"AA"}, *const BB[] = {"BB"};

static cor_energy_spec n1_spec(const cor_gas_region *regions, size_t n)
{
    return (cor_energy_spec){.regions = regions,
                             .n_regions = n,
                             .n1 = true,
                             .dmax = 40,
                             .deff = NAN,
                             .sm = 7,
                             .lngm = 8,
                             .epm = NAN,
                             .pm = NAN,
                             .im = NAN};
}

static cor_status run(const cor_network *net, const cor_energy_spec *s, cor_energy_result *r,
                      const char *field)
{
    cor_error err;
    cor_error_init(&err);
    cor_status st = cor_energy(net, s, r, &err);
    if (st != COR_OK && field) {
        assert_true(err.count >= 1);
        if (strcmp(err.problems[0].field, field) != 0)
            fail_msg("error in field '%s' (%s), expected '%s'", err.problems[0].field,
                     err.problems[0].message, field);
    }
    if (st != COR_OK && !field) fail_msg("unexpected error: %s", err.problems[0].message);
    cor_error_clear(&err);
    return st;
}

static void test_worked_example(void **state)
{
    (void)state;
    cor_network *net = example(false, false);
    cor_gas_region reg[] = {{"AA", AA, 1, NAN}};
    cor_energy_spec s = n1_spec(reg, 1);
    cor_energy_result r;
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    const cor_n1_result *n1 = &r.n1;
    assert_true(r.has_n1);
    assert_float_equal(n1->epm.value, 35, EPS);
    assert_int_equal(n1->epm.origin, COR_N1_MODEL);
    assert_int_equal(n1->n_entries, 2);
    assert_float_equal(n1->pm.value, 5, EPS);
    assert_int_equal(n1->n_production, 1);
    assert_int_equal(n1->production[0].index, cor_network_find_node(net, "F2"));
    assert_float_equal(n1->sm.value, 7, EPS);
    assert_int_equal(n1->sm.origin, COR_N1_GIVEN);
    assert_float_equal(n1->lngm.value, 8, EPS);
    assert_float_equal(n1->im.value, 25, EPS);
    assert_int_equal(n1->im_asset.kind, COR_GAS_ENTRY);
    assert_int_equal(n1->im_asset.index, cor_network_find_link(net, "L1"));
    assert_int_equal(n1->n_im_links, 1);
    assert_float_equal(n1->dmax.value, 40, EPS);
    assert_int_equal(n1->deff.origin, COR_N1_ABSENT);
    assert_float_equal(n1->percent, 75, EPS); /* (35 + 5 + 7 + 8 - 25) / 40 × 100 */
    assert_float_equal(n1->deliverable, 14.6, EPS);
    assert_float_equal(n1->deliverable_without_im, 5.475, EPS);
    /* the supply: the field and production nodes, in index order */
    assert_int_equal(r.n_supply, 3);
    assert_float_equal(r.regions[0].value, 14.6, EPS);
    cor_energy_result_clear(&r);

    s.deff = 4; /* formula 4: 30 / (40 - 4) × 100 */
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_float_equal(r.n1.percent, 30.0 / 36.0 * 100, EPS);
    assert_int_equal(r.n1.deff.origin, COR_N1_GIVEN);
    cor_energy_result_clear(&r);

    s.deff = NAN, s.sm = NAN, s.lngm = NAN; /* absent: counted as 0, said so */
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_int_equal(r.n1.sm.origin, COR_N1_ABSENT);
    assert_int_equal(r.n1.lngm.origin, COR_N1_ABSENT);
    assert_float_equal(r.n1.percent, (35 + 5 - 25) / 40.0 * 100, EPS);
    cor_energy_result_clear(&r);
    cor_network_free(net);
}

static void test_overrides_and_planned(void **state)
{
    (void)state;
    cor_network *net = example(false, false);
    cor_gas_region reg[] = {{"AA", AA, 1, NAN}};
    cor_energy_spec s = n1_spec(reg, 1);
    cor_energy_result r;
    s.epm = 100, s.pm = 0, s.im = 60; /* (100 + 0 + 7 + 8 - 60) / 40 × 100 = 137.5 % */
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_int_equal(r.n1.epm.origin, COR_N1_GIVEN);
    assert_int_equal(r.n1.im.origin, COR_N1_GIVEN);
    assert_int_equal(r.n1.im_asset.index, COR_NONE);
    assert_float_equal(r.n1.percent, 137.5, EPS);
    assert_true(isnan(r.n1.deliverable_without_im));
    assert_int_equal(r.n1.n_entries, 2); /* still listed */
    cor_energy_result_clear(&r);

    cor_profile p;
    cor_profile_init(&p);
    p.include_planned = true; /* L8 enters E1 too: EPm 37, deliverable + 0.73 */
    s = n1_spec(reg, 1);
    s.profile = &p;
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_float_equal(r.n1.epm.value, 37, EPS);
    assert_int_equal(r.n1.n_entries, 3);
    /* E1 now joins two entry links: 25 + 2 = 27 > 25, so Im is the node */
    assert_int_equal(r.n1.im_asset.kind, COR_GAS_JUNCTION);
    assert_int_equal(r.n1.im_asset.index, cor_network_find_node(net, "E1"));
    assert_float_equal(r.n1.im.value, 27, EPS);
    assert_int_equal(r.n1.n_im_links, 2);
    /* but no more gas: P is not a supply node */
    assert_float_equal(r.regions[0].value, 14.6, EPS);
    cor_energy_result_clear(&r);

    p.include_planned = false;
    const char *avoid[] = {"L2"};
    p.avoid_links = avoid, p.n_avoid_links = 1; /* L2 out: EPm 25, F3 supplies nothing */
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_float_equal(r.n1.epm.value, 25, EPS);
    assert_float_equal(r.regions[0].value, 9.125 + 1.825, EPS);
    cor_energy_result_clear(&r);
    cor_network_free(net);
}

static void test_junction_im(void **state)
{
    (void)state;
    cor_network *net = example(true, false);
    cor_gas_region reg[] = {{"AA", AA, 1, NAN}};
    cor_energy_spec s = n1_spec(reg, 1);
    cor_energy_result r;
    /* L1 (25) and L7 (15) both leave F1: one upstream infrastructure of 40 mcm/d, which is
     * more than any single link; EPm = 25 + 10 + 15 = 50. N-1 = (50 + 5 + 15 - 40) / 40. */
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_float_equal(r.n1.epm.value, 50, EPS);
    assert_int_equal(r.n1.im_asset.kind, COR_GAS_JUNCTION);
    assert_int_equal(r.n1.im_asset.index, cor_network_find_node(net, "F1"));
    assert_float_equal(r.n1.im.value, 40, EPS);
    assert_int_equal(r.n1.n_im_links, 2);
    assert_float_equal(r.n1.percent, 75, EPS);
    /* without F1's entry links, E2 still gets F3 + F2 = 5.475 */
    assert_float_equal(r.n1.deliverable_without_im, 5.475, EPS);
    cor_energy_result_clear(&r);
    cor_network_free(net);
}

static void test_deliverable_and_others(void **state)
{
    (void)state;
    cor_network *net = example(false, false);
    cor_gas_region reg[] = {{"AA", AA, 1, NAN}, {"BB", BB, 1, NAN}};
    cor_energy_spec s = {.regions = reg, .n_regions = 2};
    cor_energy_result r;
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_false(r.has_n1);
    assert_float_equal(r.regions[0].value, 14.6, EPS);
    assert_int_equal(r.regions[0].n_sinks, 1);
    assert_int_equal(r.regions[0].sinks[0], cor_network_find_node(net, "C"));
    assert_float_equal(r.regions[1].value, 1.095, EPS);
    /* what limits BB alone: L6 */
    assert_int_equal(r.regions[1].n_limits, 1);
    assert_false(r.regions[1].limits[0].is_node);
    assert_int_equal(r.regions[1].limits[0].index, cor_network_find_link(net, "L6"));
    double cut = 0;
    for (size_t i = 0; i < r.regions[0].n_limits; i++)
        cut += r.regions[0].limits[i].capacity;
    assert_float_equal(cut, 14.6, EPS);
    cor_energy_result_clear(&r);

    /* BB first: it takes its 1.095 from L1's gas, AA gets 14.6 - 1.095 */
    s.others = COR_GAS_OTHERS_FIRST;
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_float_equal(r.regions[0].value, 14.6 - 1.095, EPS);
    assert_float_equal(r.regions[1].value, 0, EPS); /* AA first takes all L1 brings to E1 */
    cor_energy_result_clear(&r);

    /* demands: BB takes at most 0.5, AA at most 10 */
    reg[1].demand = 0.5;
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_float_equal(r.regions[0].value, 14.1, EPS);
    cor_energy_result_clear(&r);
    reg[0].demand = 10;
    s.others = COR_GAS_OTHERS_IGNORE;
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_float_equal(r.regions[0].value, 10, EPS);
    assert_int_equal(r.regions[0].n_limits, 1); /* its demand, index COR_NONE */
    assert_true(r.regions[0].limits[0].is_node);
    assert_int_equal(r.regions[0].limits[0].index, COR_NONE);
    assert_float_equal(r.regions[1].value, 0.5, EPS);
    cor_energy_result_clear(&r);

    /* one region of two countries (AA+BB), and node ids as members */
    const char *both[] = {"AA", "BB"}, *ids[] = {"E2"};
    cor_gas_region joined[] = {{"AA+BB", both, 2, NAN}, {"E2", ids, 1, NAN}};
    s = (cor_energy_spec){.regions = joined, .n_regions = 2};
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_float_equal(r.regions[0].value, 14.6, EPS); /* L1 and E2's 5.475: D's share is in L1's */
    assert_int_equal(r.regions[0].n_sinks, 2);
    assert_float_equal(r.regions[1].value, 5.475, EPS);
    cor_energy_result_clear(&r);
    cor_network_free(net);
}

static void test_unlimited(void **state)
{
    (void)state;
    cor_network *net = example(false, false);
    cor_gas_region reg[] = {{"AA", AA, 1, NAN}, {"BB", BB, 1, NAN}};
    const char *supply[] = {"E1"}; /* E1 -> C has no capacity figure */
    cor_energy_spec s = {.supply = supply, .n_supply = 1, .regions = reg, .n_regions = 2};
    cor_energy_result r;
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_true(isinf(r.regions[0].value));
    assert_int_equal(r.regions[0].n_open_path, 2);
    assert_int_equal(r.regions[0].open_path[0], cor_network_find_node(net, "E1"));
    assert_int_equal(r.regions[0].open_path[1], cor_network_find_node(net, "C"));
    assert_float_equal(r.regions[1].value, 1.095, EPS);
    cor_energy_result_clear(&r);
    s.others = COR_GAS_OTHERS_FIRST; /* BB after an unlimited AA: not a question with an answer */
    assert_int_equal(run(net, &s, &r, "demand"), COR_ERR_INPUT);
    reg[0].demand = 2; /* with AA's demand it is: AA takes 2 of E1's gas, BB still gets L6 */
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_float_equal(r.regions[1].value, 1.095, EPS);
    assert_float_equal(r.regions[0].value, 2, EPS);
    cor_energy_result_clear(&r);
    cor_network_free(net);
}

static void test_unknown_terms(void **state)
{
    (void)state;
    cor_network *net = example(false, true); /* L2 has no capacity figure */
    cor_gas_region reg[] = {{"AA", AA, 1, NAN}};
    cor_energy_spec s = n1_spec(reg, 1);
    cor_energy_result r;
    assert_int_equal(run(net, &s, &r, "epm"), COR_ERR_INPUT);
    s.epm = 35; /* EPm known now, but L2 might still be the largest */
    assert_int_equal(run(net, &s, &r, "im"), COR_ERR_INPUT);
    s.im = 25;
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    assert_float_equal(r.n1.percent, 75, EPS);
    cor_energy_result_clear(&r);
    cor_network_free(net);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    cor_network *net = example(false, false);
    cor_gas_region reg[] = {{"AA", AA, 1, NAN}};
    cor_energy_spec s = n1_spec(reg, 1);
    cor_energy_result r;
    s.n_regions = 0;
    assert_int_equal(run(net, &s, &r, "region"), COR_ERR_USAGE);
    s.n_regions = 1;
    s.dmax = NAN;
    assert_int_equal(run(net, &s, &r, "dmax"), COR_ERR_USAGE);
    s.dmax = 0;
    assert_int_equal(run(net, &s, &r, "dmax"), COR_ERR_USAGE);
    s.dmax = INFINITY;
    assert_int_equal(run(net, &s, &r, "dmax"), COR_ERR_USAGE);
    s.dmax = 40, s.deff = 40;
    assert_int_equal(run(net, &s, &r, "deff"), COR_ERR_USAGE);
    s.deff = NAN, s.sm = -1;
    assert_int_equal(run(net, &s, &r, "sm"), COR_ERR_USAGE);
    s.sm = 7, s.lngm = INFINITY;
    assert_int_equal(run(net, &s, &r, "lngm"), COR_ERR_USAGE);
    s.lngm = 8, s.im = 100; /* more than EPm + Pm + Sm + LNGm = 55 */
    assert_int_equal(run(net, &s, &r, "im"), COR_ERR_USAGE);
    s.im = NAN;
    reg[0].demand = -1;
    assert_int_equal(run(net, &s, &r, "demand"), COR_ERR_USAGE);
    reg[0].demand = NAN;
    const char *zz[] = {"ZZ"}, *f2[] = {"F2"}, *t[] = {"T"}, *xx[] = {"XX"};
    cor_gas_region bad[] = {{"ZZ", zz, 1, NAN}};
    s.regions = bad;
    assert_int_equal(run(net, &s, &r, "region"), COR_ERR_NOT_FOUND);
    bad[0] = (cor_gas_region){"F2", f2, 1, NAN}; /* a supply node only */
    assert_int_equal(run(net, &s, &r, "region"), COR_ERR_INPUT);
    bad[0] = (cor_gas_region){"T", t, 1, NAN}; /* no gas link */
    assert_int_equal(run(net, &s, &r, "region"), COR_ERR_INPUT);
    bad[0] = (cor_gas_region){"XX", xx, 1, NAN}; /* XX's gas nodes: F1, a supply node */
    assert_int_equal(run(net, &s, &r, "region"), COR_ERR_INPUT);
    bad[0] = (cor_gas_region){"none", zz, 0, NAN};
    assert_int_equal(run(net, &s, &r, "region"), COR_ERR_USAGE);
    s.regions = reg;
    const char *nosuch[] = {"NOPE"}, *road[] = {"T"};
    s.supply = nosuch, s.n_supply = 1;
    assert_int_equal(run(net, &s, &r, "supply"), COR_ERR_NOT_FOUND);
    s.supply = road;
    assert_int_equal(run(net, &s, &r, "supply"), COR_ERR_INPUT);
    s.supply = NULL, s.n_supply = 0;
    const char *closed[] = {"L1", "L2", "L3"}; /* no usable link leaves any field */
    cor_profile p;
    cor_profile_init(&p);
    p.avoid_links = closed, p.n_avoid_links = 3;
    s.profile = &p;
    assert_int_equal(run(net, &s, &r, "supply"), COR_ERR_INPUT);
    const char *nolink[] = {"L99"};
    p.avoid_links = nolink, p.n_avoid_links = 1;
    assert_int_equal(run(net, &s, &r, "avoid-link"), COR_ERR_NOT_FOUND);
    cor_network_free(net);
}

/* The embedded model: every region of the Southern Gas Corridor gets a finite answer, and
 * the area's only entry is SCP, which is therefore Im. */
static void test_embedded_model(void **state)
{
    (void)state;
    cor_network *net;
    cor_error err;
    cor_error_init(&err);
    assert_int_equal(
        cor_network_load(&net, COR_SOURCE_DIR "/data/corridor.geojson", COR_FORMAT_AUTO, &err),
        COR_OK);
    const char *ge[] = {"GE"}, *tr[] = {"TR"}, *gr[] = {"GR"}, *bg[] = {"BG"}, *it[] = {"IT"};
    cor_gas_region reg[] = {{"GE", ge, 1, NAN},
                            {"TR", tr, 1, NAN},
                            {"GR", gr, 1, NAN},
                            {"BG", bg, 1, NAN},
                            {"IT", it, 1, NAN}};
    cor_energy_spec s = n1_spec(reg, 5);
    s.dmax = 100;
    cor_energy_result r;
    assert_int_equal(run(net, &s, &r, NULL), COR_OK);
    const double want[] = {2.4, 10.3, 10, 3, 10}; /* offtakes; TANAP's 10 bcm European share */
    for (size_t k = 0; k < 5; k++)
        assert_float_equal(r.regions[k].value, want[k], 1e-9);
    assert_int_equal(r.n1.n_entries, 1);
    assert_int_equal(r.n1.im_asset.index, cor_network_find_link(net, "gas-scp-AZ"));
    assert_float_equal(r.n1.epm.value, 23.4 * 1000 / 365, 1e-9);
    assert_float_equal(r.n1.percent, (7 + 8) / 100.0 * 100, 1e-9); /* EPm - Im = 0 */
    assert_float_equal(r.n1.deliverable_without_im, 0, 1e-12);
    cor_energy_result_clear(&r);
    cor_network_free(net);
    cor_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worked_example), cmocka_unit_test(test_overrides_and_planned),
        cmocka_unit_test(test_junction_im),    cmocka_unit_test(test_deliverable_and_others),
        cmocka_unit_test(test_unlimited),      cmocka_unit_test(test_unknown_terms),
        cmocka_unit_test(test_bad_inputs),     cmocka_unit_test(test_embedded_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
