"""The pandas side of the outcome-report benchmark: what a researcher would write to compute the PCL-5 part of
`ferd report outcomes` from the same SQLite database, end to end (read, compute, write a CSV).
Adapted from shared/bench/pandas_pcl5.py; reads the database ferd reads, as that file's notes ask.

usage: python3 pandas_outcomes.py DATA_DIR OUT.csv
"""
import json
import sqlite3
import sys
import time

import numpy as np
import pandas as pd

t0 = time.perf_counter()
con = sqlite3.connect(f"{sys.argv[1]}/ferd.db")
df = pd.read_sql("SELECT client_id, authored_at, answers FROM responses WHERE instrument = 'pcl-5' "
                 "ORDER BY client_id, authored_at, id", con)
items = np.array([json.loads(a) for a in df["answers"]], dtype=np.int16)      # N*8 x 20
df["total"] = items.sum(axis=1)
endorsed = items >= 2
clusters = {"B": slice(0, 5), "C": slice(5, 7), "D": slice(7, 14), "E": slice(14, 20)}
need = {"B": 1, "C": 1, "D": 2, "E": 2}
df["pattern"] = np.logical_and.reduce([endorsed[:, s].sum(axis=1) >= need[c] for c, s in clusters.items()])
g = df.groupby("client_id", sort=False)
cl = pd.DataFrame({"pre": g["total"].first(), "post": g["total"].last(), "n": g.size(),
                   "pre_pattern": g["pattern"].first(), "post_pattern": g["pattern"].last()})
pairs = cl[cl["n"] >= 2]
change = pairs["post"] - pairs["pre"]
improved = (change <= -15).sum()                                   # Marx 2022: reliable change 15 points
recovered = ((change <= -15) & (pairs["post"] <= 28) & (pairs["pre"] > 28)).sum()
deteriorated = (change >= 15).sum()
sd_change = change.std()
d_z = change.mean() / sd_change
d_av = change.mean() / ((pairs["pre"].std() + pairs["post"].std()) / 2)
met = pairs[pairs["pre_pattern"]]
lost = (~met["post_pattern"]).sum()
row = {"instrument": "pcl-5", "clients": len(cl), "baseline_mean": cl["pre"].mean(), "baseline_sd": cl["pre"].std(),
       "latest_mean": pairs["post"].mean(), "latest_sd": pairs["post"].std(), "mean_change": change.mean(),
       "d_z": d_z, "d_av": d_av, "reliable_improvement": improved / len(pairs),
       "reliable_deterioration": deteriorated / len(pairs), "recovered": recovered / len(pairs),
       "no_longer_meets_pattern": lost / len(met)}
pd.DataFrame([row]).to_csv(sys.argv[2], index=False)
print(f"pandas {pd.__version__}: {len(df):,} responses, {time.perf_counter() - t0:.2f} s; "
      f"mean change {row['mean_change']:.4f}, d_z {d_z:.4f}, improved {row['reliable_improvement']:.4f}, "
      f"recovered {row['recovered']:.4f}, lost pattern {row['no_longer_meets_pattern']:.4f}", file=sys.stderr)
