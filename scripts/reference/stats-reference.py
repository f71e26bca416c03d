#!/usr/bin/env python3
"""Reference values for benchgate's statistics layer (src/stats/).

Rerun from the repository root with
    python3 scripts/reference/stats-reference.py
It needs numpy and scipy (made with scipy 1.17.1, numpy 2.4.6; statsmodels is not installed, so
Holm and BH are computed by hand with R's p.adjust rules, BH cross-checked with
scipy.stats.false_discovery_control). It rewrites test/fixtures/stats/*.json, which the tests in
test/unit/stats/ read. Inputs are generated here with fixed numpy seeds and stored in the fixtures.

Where a function draws random numbers (sign-flip Monte Carlo, bootstrap, E-Divisive permutations)
this script replays benchgate's generator (mulberry32, src/random.ts) bit for bit, so the
reference is the same computation done independently in Python (brute force where benchgate uses
a faster algorithm), not a re-run of the TypeScript.
"""
import json
import math
import os
import statistics
from fractions import Fraction
from itertools import product

import numpy as np
import scipy
from scipy import special, stats

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'stats')
META = {'generator': 'scripts/reference/stats-reference.py', 'scipy': scipy.__version__, 'numpy': np.__version__}


def write(name, cases):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), 'w') as f:
        json.dump({'meta': META, 'cases': cases}, f, indent=1)
        f.write('\n')


def clean(x):
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


# ---- mulberry32, as src/random.ts ----------------------------------------------------------
def mulberry32(seed):
    state = seed & 0xFFFFFFFF

    def imul(a, b):
        return (a * b) & 0xFFFFFFFF

    def rnd():
        nonlocal state
        state = (state + 0x6D2B79F5) & 0xFFFFFFFF
        t = state
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & 0xFFFFFFFF
        t &= 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    return rnd


def shuffle_in_place(items, rnd):
    for i in range(len(items) - 1, 0, -1):
        j = math.floor(rnd() * (i + 1))
        items[i], items[j] = items[j], items[i]
    return items


rng = np.random.default_rng(20240611)


def noise(n, scale=0.03, shift=0.0):
    return [float(v) for v in rng.normal(shift, scale, n)]


# ---- normal and t distributions ------------------------------------------------------------
zs = [-37.0, -20.0, -8.5, -6.0, -3.3, -2.5, -1.96, -1.0, -0.3, 0.0, 0.4, 1.2, 1.9999, 2.0, 2.5, 3.7, 5.0, 9.0]
ps = [1e-300, 1e-12, 1e-6, 0.0005, 0.005, 0.025, 0.1, 0.3, 0.5, 0.7, 0.975, 0.9995, 1 - 1e-9]
write('normal.json', {
    'cdf': [{'z': z, 'cdf': float(special.ndtr(z)), 'sf': float(stats.norm.sf(z))} for z in zs],
    'quantile': [{'p': p, 'z': float(special.ndtri(p))} for p in ps],
})
write('student-t.json', {
    'cdf': [{'t': t, 'df': df, 'cdf': float(stats.t.cdf(t, df))}
            for df in [1, 2, 3, 4, 5, 9, 10, 29, 30] for t in [-12.0, -3.1, -1.0, 0.0, 0.7, 2.2, 6.5]],
    'quantile': [{'p': p, 'df': df, 't': float(stats.t.ppf(p, df))}
                 for df in [1, 2, 3, 5, 10, 30] for p in [0.005, 0.025, 0.5, 0.9, 0.975, 0.995]],
})

# ---- Wilcoxon signed-rank (scipy defaults: zero_method='wilcox', correction=False, 'auto') --
def expected_method(d):
    nz = [x for x in d if x != 0]
    ties = len(set(abs(x) for x in nz)) < len(nz)
    zeros = len(d) - len(nz)
    if len(d) > 50:
        return 'normal'
    if not ties and zeros == 0:
        return 'exact'
    if len(d) <= 13:
        return 'permutation'
    return 'normal'


w_inputs = {
    'n5-no-ties': noise(5),
    'n8-no-ties-shifted': noise(8, shift=0.03),
    'n12-no-ties': noise(12),
    'n20-no-ties-slower': noise(20, shift=0.02),
    'n50-no-ties': noise(50, shift=0.005),
    'n8-ties': [round(x, 2) for x in noise(8, shift=0.01)],
    'n10-two-zeros': [0.0, 0.0] + noise(8, shift=-0.02),
    'n13-ties-zero': [0.0] + [round(x, 2) for x in noise(12)],
    'n30-ties': [round(x, 2) for x in noise(30, shift=0.01)],
    'n25-one-zero': [0.0] + noise(24, shift=-0.01),
    'n60': noise(60, shift=0.01),
    'n80-ties-zeros': [0.0, 0.0, 0.0] + [round(x, 2) for x in noise(77, shift=0.004)],
    'n40-outliers': noise(38, shift=0.02) + [math.log(2.0), -math.log(2.0) * 0.9],
    'all-positive-n7': [abs(x) + 0.001 for x in noise(7)],
    'integers-with-ties': [1.0, -2.0, 2.0, 3.0, 3.0, -3.0, 4.0, 5.0, 6.0, 7.0],
}
w_cases = []
for name, d in w_inputs.items():
    for alt in ['two-sided', 'greater', 'less']:
        r = stats.wilcoxon(d, alternative=alt)
        w_cases.append({'name': name, 'd': d, 'alternative': alt, 'options': {},
                        'statistic': float(r.statistic), 'pValue': float(r.pvalue), 'method': expected_method(d)})
# Non-default settings: the continuity correction, forced normal and forced exact.
for name in ['n20-no-ties-slower', 'n30-ties']:
    d = w_inputs[name]
    for alt in ['two-sided', 'greater']:
        r = stats.wilcoxon(d, alternative=alt, correction=True, method='asymptotic')
        w_cases.append({'name': name + ' corrected normal', 'd': d, 'alternative': alt,
                        'options': {'correction': True, 'method': 'normal'},
                        'statistic': float(r.statistic), 'pValue': float(r.pvalue), 'method': 'normal'})
r = stats.wilcoxon(w_inputs['n60'], alternative='greater', method='exact')
w_cases.append({'name': 'n60 forced exact', 'd': w_inputs['n60'], 'alternative': 'greater', 'options': {'method': 'exact'},
                'statistic': float(r.statistic), 'pValue': float(r.pvalue), 'method': 'exact'})
write('wilcoxon-signed-rank.json', w_cases)

# ---- sign-flip test (sum statistic) --------------------------------------------------------
def signflip_exact(d, alt):
    # Independent of scipy: enumerate all sign assignments, correctly rounded sums (fsum), and
    # count sums within 1e-12·Σ|d| of the observed one as ties (0.01 + 0.02 vs 0.03 in binary).
    obs = math.fsum(d)
    tol = 1e-12 * math.fsum(abs(x) for x in d)
    sums = [math.fsum(s * x for s, x in zip(signs, d)) for signs in product([1, -1], repeat=len(d))]
    less = sum(1 for s in sums if s <= obs + tol) / len(sums)
    greater = sum(1 for s in sums if s >= obs - tol) / len(sums)
    return pick(alt, less, greater)


def pick(alt, less, greater):
    if alt == 'less':
        return min(1.0, less)
    if alt == 'greater':
        return min(1.0, greater)
    return min(1.0, 2 * min(less, greater))


def signflip_mc(d, alt, iterations, seed):
    rnd = mulberry32(seed)
    obs = math.fsum(d)
    tol = 1e-12 * math.fsum(abs(x) for x in d)
    at_most = at_least = 0
    for _ in range(iterations):
        s = 0.0
        for x in d:
            s += -x if rnd() < 0.5 else x
        at_most += s <= obs + tol
        at_least += s >= obs - tol
    return pick(alt, (at_most + 1) / (iterations + 1), (at_least + 1) / (iterations + 1))


sf_cases = []
sf_inputs = {
    'n6': noise(6, shift=0.02),
    'n10-zero-ties': [0.0, 0.01, -0.01, 0.02, 0.02, 0.03, -0.02, 0.05, 0.01, 0.04],
    'n14-outlier': noise(13, shift=0.01) + [math.log(2.0)],
    'n16-integers': [float(v) for v in [1, -1, 2, 3, -2, 5, 1, 1, -3, 4, 2, 0, 6, -1, 2, 1]],
}
for name, d in sf_inputs.items():
    for alt in ['two-sided', 'greater', 'less']:
        mine = signflip_exact(d, alt) if len(d) <= 16 else None
        ref = stats.permutation_test((np.array(d),), np.sum, permutation_type='samples', alternative=alt,
                                     n_resamples=np.inf).pvalue
        if mine is not None:
            assert abs(mine - ref) < 1e-12, (name, alt, mine, ref)
        sf_cases.append({'name': name, 'd': d, 'alternative': alt, 'options': {}, 'pValue': float(ref), 'source': 'scipy.permutation_test exact'})
d20 = noise(20, shift=0.01)
for alt in ['greater', 'two-sided']:
    ref = stats.permutation_test((np.array(d20),), np.sum, permutation_type='samples', alternative=alt, n_resamples=np.inf).pvalue
    sf_cases.append({'name': 'n20-exact', 'd': d20, 'alternative': alt, 'options': {}, 'pValue': float(ref), 'source': 'scipy.permutation_test exact'})
for name, d, seed, iters in [('n25-mc', noise(25, shift=0.01), 7, 5000), ('n40-mc', noise(40, shift=-0.004), 123, 3000),
                              ('n30-mc-strong', noise(30, shift=0.05), 1, 2000)]:
    for alt in ['two-sided', 'greater', 'less']:
        sf_cases.append({'name': name, 'd': d, 'alternative': alt, 'options': {'iterations': iters, 'seed': seed},
                         'pValue': signflip_mc(d, alt, iters, seed), 'source': 'mulberry32 replay'})
write('sign-flip-test.json', sf_cases)

# ---- Hodges-Lehmann estimate and interval --------------------------------------------------
def walsh(d):
    n = len(d)
    return sorted((d[i] + d[j]) / 2 for i in range(n) for j in range(i, n))


def signed_rank_counts(n):
    # Exact integer counts of T+ = k over the 2^n sign assignments.
    counts = [1]
    for r in range(1, n + 1):
        nxt = counts + [0] * r
        for k, c in enumerate(counts):
            nxt[k + r] += c
        counts = nxt
    return counts


def hl_interval(d, confidence):
    n = len(d)
    m = n * (n + 1) // 2
    alpha = Fraction(1) - Fraction(confidence).limit_denominator(10**9)
    w = walsh(d)
    if n <= 50:
        counts = signed_rank_counts(n)
        total = 2 ** n
        k, cdf = 0, Fraction(0)
        while k < m and cdf + Fraction(counts[k], total) <= alpha / 2:
            cdf += Fraction(counts[k], total)
            k += 1
        if k == 0:
            return None
        achieved = 1 - 2 * cdf
        return {'low': w[k - 1], 'high': w[m - k], 'k': k, 'achievedConfidence': float(achieved), 'method': 'exact'}
    mean = m / 2
    sd = math.sqrt(n * (n + 1) * (2 * n + 1) / 24)
    k = math.floor(mean + 0.5 + stats.norm.ppf((1 - confidence) / 2) * sd)
    achieved = 1 - 2 * stats.norm.cdf((k - 0.5 - mean) / sd)
    return {'low': w[k - 1], 'high': w[m - k], 'k': k, 'achievedConfidence': float(achieved), 'method': 'normal'}


def check_by_inversion(d, iv, confidence):
    # The exact interval is the set of shifts the exact two-sided signed-rank test does not reject.
    eps = 1e-9
    for theta, inside in [(iv['low'] + eps, True), (iv['high'] - eps, True), (iv['low'] - eps, False), (iv['high'] + eps, False)]:
        p = stats.wilcoxon([x - theta for x in d], method='exact').pvalue
        assert (p > 1 - confidence) == inside, (theta, p, inside)


hl_cases = []
hl_inputs = {
    'n1': [0.01],
    'n2': [0.01, 0.03],
    'n5': noise(5, shift=0.01),
    'n6': noise(6, shift=0.01),
    'n9-outlier': noise(8, shift=0.02) + [math.log(2.0)],
    'n15': noise(15),
    'n24-ties': [round(x, 2) for x in noise(24, shift=0.01)],
    'n50': noise(50, shift=0.015),
    'n51': noise(51, shift=-0.01),
    'n120': noise(120, shift=0.005),
}
for name, d in hl_inputs.items():
    est = float(np.median(walsh(d)))
    for conf in [0.9, 0.95, 0.99]:
        iv = hl_interval(d, conf)
        if iv is not None and iv['method'] == 'exact' and len(set(abs(x) for x in d)) == len(d) and len(d) > 1:
            check_by_inversion(d, iv, conf)
        hl_cases.append({'name': name, 'd': d, 'confidence': conf, 'estimate': est, 'interval': iv})
write('hodges-lehmann.json', hl_cases)

# ---- Holm and Benjamini-Hochberg (R's p.adjust) --------------------------------------------
def holm_ref(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out, run = [0.0] * m, 0.0
    for rank, i in enumerate(order):
        run = max(run, min(1.0, (m - rank) * p[i]))
        out[i] = run
    return out


def bh_ref(p):
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out, run = [0.0] * m, 1.0
    for rank in range(m - 1, -1, -1):
        i = order[rank]
        run = min(run, m / (rank + 1) * p[i])
        out[i] = run
    return out


adj_inputs = {
    'one': [0.03],
    'five': [0.01, 0.04, 0.03, 0.005, 0.5],
    'ties': [0.01, 0.01, 0.02, 0.02, 0.9, 0.0001],
    'all-large': [0.6, 0.9, 1.0, 0.8],
    'twenty': [float(x) for x in rng.uniform(0, 0.2, 20)],
    'with-zero': [0.0, 0.2, 0.001],
}
adj_cases = []
for name, p in adj_inputs.items():
    bh = bh_ref(p)
    assert np.allclose(bh, stats.false_discovery_control(p, method='bh'), rtol=0, atol=1e-15)
    adj_cases.append({'name': name, 'p': p, 'holm': holm_ref(p), 'bh': bh})
write('multiple-testing.json', adj_cases)

# ---- percentile bootstrap of the median ----------------------------------------------------
def bootstrap_ref(values, confidence, iterations, seed):
    rnd = mulberry32(seed)
    n = len(values)
    meds = []
    for _ in range(iterations):
        meds.append(statistics.median([values[math.floor(rnd() * n)] for _ in range(n)]))
    a = 1 - confidence
    lo, hi = np.percentile(meds, [100 * a / 2, 100 * (1 - a / 2)], method='linear')
    return {'estimate': statistics.median(values), 'low': float(lo), 'high': float(hi)}


bs_cases = []
for name, values, conf, iters, seed in [
    ('n7', [float(x) for x in rng.lognormal(-6, 0.05, 7)], 0.95, 2000, 1),
    ('n12-outlier', [float(x) for x in rng.lognormal(-6, 0.03, 11)] + [0.005], 0.9, 1000, 42),
    ('n30', [float(x) for x in rng.lognormal(-3, 0.02, 30)], 0.95, 500, 9),
    ('n2', [1.0, 2.0], 0.95, 200, 3),
]:
    bs_cases.append({'name': name, 'values': values, 'confidence': conf, 'options': {'iterations': iters, 'seed': seed},
                     'expected': bootstrap_ref(values, conf, iters, seed)})
write('bootstrap-median-interval.json', bs_cases)

# ---- default threshold ---------------------------------------------------------------------
def default_threshold(d_arrays, multiplier=0.25, floor=1.0):
    sds = [stats.median_abs_deviation(d, scale='normal') for d in d_arrays if len(d) >= 3]
    if not sds:
        return floor
    return max(floor, 100 * math.expm1(multiplier * float(np.median(sds))))


th_cases = []
for name, arrays, opts in [
    ('quiet', [noise(12, 0.01), noise(10, 0.012), noise(15, 0.008)], {}),
    ('noisy', [noise(12, 0.08), noise(20, 0.1), noise(9, 0.06), noise(2, 0.5)], {}),
    ('noisy-multiplier-1', [noise(12, 0.08), noise(20, 0.1)], {'multiplier': 1.0, 'floorPct': 0.5}),
    ('outlier-rounds', [noise(10, 0.05) + [math.log(2.0), math.log(2.0)], noise(12, 0.06)], {}),
    ('none-usable', [[0.1, 0.2], []], {}),
]:
    th_cases.append({'name': name, 'dArrays': arrays, 'options': opts,
                     'thresholdPct': default_threshold(arrays, opts.get('multiplier', 0.25), opts.get('floorPct', 1.0))})
write('default-threshold-pct.json', th_cases)

# ---- paired decision (the rule of decidePaired applied to the references above) ------------
def decide(d, threshold, alpha=0.01, min_rounds=5, confidence=0.95):
    n = len(d)
    if n < min_rounds:
        return {'verdict': 'inconclusive', 'changePct': None, 'ciLowPct': None, 'ciHighPct': None, 'pValue': None}
    if all(x == 0 for x in d):
        pg = pl = 1.0
    else:
        pg = float(stats.wilcoxon(d, alternative='greater').pvalue)
        pl = float(stats.wilcoxon(d, alternative='less').pvalue)
    hl = float(np.median(walsh(d)))
    iv = hl_interval(d, confidence)
    change = 100 * math.expm1(hl)
    lo = 100 * math.expm1(iv['low']) if iv else None
    hi = 100 * math.expm1(iv['high']) if iv else None
    if pg < alpha and change > threshold:
        v, p = 'regressed', pg
    elif pl < alpha and change < -threshold:
        v, p = 'improved', pl
    else:
        p = pg if hl >= 0 else pl
        v = 'unchanged' if iv and lo >= -threshold and hi <= threshold else 'inconclusive'
    return {'verdict': v, 'changePct': change, 'ciLowPct': lo, 'ciHighPct': hi, 'pValue': p}


dp_cases = []
for name, d, threshold in [
    ('regressed-5pct', noise(20, 0.02, math.log(1.05)), 2.0),
    ('regressed-with-outliers', noise(18, 0.02, math.log(1.04)) + [math.log(2.0), -math.log(2.0)], 2.0),
    ('improved-4pct', noise(20, 0.02, math.log(0.96)), 2.0),
    ('unchanged', noise(40, 0.01), 2.0),
    ('significant-but-small', noise(60, 0.005, math.log(1.004)), 1.0),
    ('big-but-noisy', noise(8, 0.2, math.log(1.1)), 2.0),
    ('too-few-rounds', noise(4, 0.02, 0.3), 2.0),
    ('n6-cannot-reach-alpha', noise(6, 0.001, 0.3), 2.0),
    ('all-zero', [0.0] * 8, 1.0),
]:
    dp_cases.append({'name': name, 'd': d, 'options': {'thresholdPct': threshold}, 'expected': decide(d, threshold)})
write('decide-paired.json', dp_cases)

# ---- history verdict (method documented in src/stats/history-verdict.ts) -------------------
def history_ref(current, history, alpha=0.01, min_runs=3, confidence=0.95, mult=2.0, floor=1.0):
    if len(history) < min_runs:
        return {'verdict': 'inconclusive', 'changePct': None}
    k = len(history)
    logmed = [math.log(statistics.median(r)) for r in history]
    level = statistics.median(logmed)
    between = max(float(stats.median_abs_deviation(logmed, scale='normal')),
                  math.sqrt(math.pi / 2) * float(np.mean(np.abs(np.array(logmed) - level))))
    withins = [float(stats.median_abs_deviation(np.log(r), scale='normal')) * math.sqrt(math.pi / (2 * len(r)))
               for r in history + [current] if len(r) >= 3]
    within = float(np.median(withins)) if withins else 0.0
    s = max(between, within)
    delta = math.log(statistics.median(current)) - level
    se = s * math.sqrt(1 + math.pi / (2 * k))
    t = delta / se
    pg, pl = float(stats.t.sf(t, k - 1)), float(stats.t.cdf(t, k - 1))
    half = float(stats.t.ppf(1 - (1 - confidence) / 2, k - 1)) * se
    change = 100 * math.expm1(delta)
    thr = max(floor, 100 * math.expm1(mult * s))
    lo, hi = 100 * math.expm1(delta - half), 100 * math.expm1(delta + half)
    if pg < alpha and change > thr:
        v, p = 'regressed', pg
    elif pl < alpha and change < -thr:
        v, p = 'improved', pl
    else:
        p = pg if delta >= 0 else pl
        v = 'unchanged' if lo >= -thr and hi <= thr else 'inconclusive'
    return {'verdict': v, 'changePct': change, 'ciLowPct': lo, 'ciHighPct': hi, 'pValue': p, 'thresholdPct': thr}


def run(n, level, sd=0.02):
    return [float(x) for x in level * np.exp(rng.normal(0, sd, n))]


hv_cases = []
hist10 = [run(5, 0.010 * math.exp(float(rng.normal(0, 0.01)))) for _ in range(10)]
for name, current, history in [
    ('short-history', run(5, 0.010), hist10[:2]),
    ('same-level', run(5, 0.010), hist10),
    ('slower-20pct', run(5, 0.012), hist10),
    ('faster-15pct', run(5, 0.0085), hist10),
    ('slower-3pct-k3', run(5, 0.0103), hist10[:3]),
    ('outlier-process', run(4, 0.010) + [0.02], hist10),
    ('single-process-runs', [0.0101], [[0.0100], [0.0102], [0.0099], [0.0100], [0.0101]]),
]:
    hv_cases.append({'name': name, 'current': current, 'history': history, 'expected': history_ref(current, history)})
write('history-verdict.json', hv_cases)

# ---- E-Divisive (brute-force energy statistic, mulberry32 permutations) --------------------
def q_stat(x, tau):
    X, Y = x[:tau], x[tau:]
    m, k = len(X), len(Y)
    cross = sum(abs(a - b) for a in X for b in Y)
    wx = sum(abs(X[i] - X[j]) for i in range(m) for j in range(i + 1, m))
    wy = sum(abs(Y[i] - Y[j]) for i in range(k) for j in range(i + 1, k))
    return m * k / (m + k) * (2 * cross / (m * k) - 2 * wx / (m * (m - 1)) - 2 * wy / (k * (k - 1)))


def best_split(x, min_size):
    best, best_tau = -math.inf, -1
    for tau in range(min_size, len(x) - min_size + 1):
        q = q_stat(x, tau)
        if q > best * (1 + 1e-12) + 1e-300 if best > 0 else q > best:
            best, best_tau = q, tau
    return best_tau, best


def e_divisive_ref(series, alpha, permutations, seed, min_size):
    rnd = mulberry32(seed)
    found = []
    queue = [(0, len(series))]
    while queue:
        start, end = queue.pop()
        if end - start < 2 * min_size:
            continue
        seg = series[start:end]
        tau, q = best_split(seg, min_size)
        if q <= 0:
            continue
        give_up = math.ceil(alpha * (permutations + 1) - 1)
        at_least, p = 0, None
        if give_up <= 0:
            p = 1 / (permutations + 1)
        else:
            order = list(range(len(seg)))
            for it in range(permutations):
                shuffle_in_place(order, rnd)
                perm = [seg[i] for i in order]
                if best_split(perm, min_size)[1] >= q - 1e-12 * abs(q):
                    at_least += 1
                    if at_least >= give_up:
                        p = (at_least + 1) / (it + 2)
                        break
            if p is None:
                p = (at_least + 1) / (permutations + 1)
        if p >= alpha:
            continue
        found.append({'index': start + tau, 'pValue': p, 'statistic': q})
        queue.append((start, start + tau))
        queue.append((start + tau, end))
    found.sort(key=lambda c: c['index'])
    bounds = [0] + [c['index'] for c in found] + [len(series)]
    for i, c in enumerate(found):
        c['meanBefore'] = float(np.mean(series[bounds[i]:c['index']]))
        c['meanAfter'] = float(np.mean(series[c['index']:bounds[i + 2]]))
        c['changePct'] = 100 * (c['meanAfter'] / c['meanBefore'] - 1)
    return found


ed_cases = []
def level_series(n, shifts, sd=0.01):
    out = []
    for i in range(n):
        lvl = 1.0
        for at, f in shifts:
            if i >= at:
                lvl *= f
        out.append(float(lvl * (1 + rng.normal(0, sd))))
    return out


for name, series, opts in [
    ('one-shift-at-30', level_series(60, [(30, 1.05)]), {'alpha': 0.05, 'permutations': 99, 'seed': 3, 'minSize': 5}),
    ('two-shifts', level_series(70, [(20, 1.08), (45, 0.95)]), {'alpha': 0.05, 'permutations': 99, 'seed': 11, 'minSize': 4}),
    ('noise', level_series(50, []), {'alpha': 0.05, 'permutations': 99, 'seed': 5, 'minSize': 5}),
    ('late-shift-minsize3', level_series(40, [(36, 1.10)]), {'alpha': 0.05, 'permutations': 99, 'seed': 8, 'minSize': 3}),
]:
    ed_cases.append({'name': name, 'series': series, 'options': opts,
                     'expected': e_divisive_ref(series, opts['alpha'], opts['permutations'], opts['seed'], opts['minSize'])})
write('e-divisive.json', ed_cases)
# ---- quartiles (numpy's linear rule); fixed inputs, no draw from rng ------------------------
q_cases = []
for name, values in [
    ('one', [0.7]),
    ('two', [1.0, 3.0]),
    ('three-unsorted', [0.81, 0.62, 0.79]),
    ('five', [5.0, 1.0, 4.0, 2.0, 3.0]),
    ('seven-with-outlier', [0.74, 0.77, 0.75, 0.31, 0.76, 0.78, 0.75]),
    ('ten', [float(x) for x in np.linspace(10, 100, 10) ** 0.5]),
]:
    q1, med, q3 = np.percentile(values, [25, 50, 75], method='linear')
    q_cases.append({'name': name, 'values': values, 'q1': float(q1), 'median': float(med), 'q3': float(q3)})
write('quartiles.json', q_cases)

print('wrote', sorted(os.listdir(OUT)))
