#!/usr/bin/env python3
"""Simulated false-alarm rate of historyVerdict's method (src/stats/history-verdict.ts), quoted in
docs/method/compare.md ("History mode"). Rerun: python3 scripts/reference/history-false-alarm-sim.py (numpy, scipy; ~1 min).
Runs have a run-level jitter (SD 1%) and 5 processes each with process noise (SD 2%); the current
run has no change. "mad" is the between-run spread by MAD alone, "meanad" the shipped max(MAD,
mean absolute deviation) estimate."""
import math

import numpy as np
from scipy import stats
rng=np.random.default_rng(1)
def verdict(cur, hist, between_kind, alpha=0.01):
    k=len(hist); lm=np.log(np.median(hist,axis=1)); level=np.median(lm)
    if between_kind=='mad': b=stats.median_abs_deviation(lm,scale='normal')
    else: b=max(stats.median_abs_deviation(lm,scale='normal'), np.mean(np.abs(lm-level))*math.sqrt(math.pi/2))
    ws=[stats.median_abs_deviation(np.log(r),scale='normal')*math.sqrt(math.pi/(2*len(r))) for r in list(hist)+[cur]]
    s=max(b,np.median(ws))
    d=math.log(np.median(cur))-level; se=s*math.sqrt(1+math.pi/(2*k)); t=d/se
    thr=max(1,100*math.expm1(2*s))
    return stats.t.sf(t,k-1)<alpha and 100*math.expm1(d)>thr, stats.t.sf(t,k-1)<alpha
for kind in ['mad','meanad']:
  for K in [3,5,10,20]:
    fa=fs=0; N=4000
    for _ in range(N):
        lv=np.exp(rng.normal(0,0.01,K+1))
        runs=[lv[i]*np.exp(rng.normal(0,0.02,5)) for i in range(K+1)]
        a,b=verdict(runs[-1],np.array(runs[:-1]),kind); fa+=a; fs+=b
    print(kind,K,'false regressed',fa/N,'p<alpha',fs/N)
