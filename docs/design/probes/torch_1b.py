"""1 B-parameter MLP built on the meta device: time and RSS growth (fresh process).
Run: timeout 120 .tox/torch/bin/python docs/design/probes/torch_1b.py"""
import resource, time
import torch, torch.nn as nn
def rss(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
def cur(): return int(open('/proc/self/statm').read().split()[1]) * resource.getpagesize() / 2**20
r0 = rss(); c0 = cur(); t0 = time.perf_counter()
with torch.device("meta"):
    m = nn.Sequential(*[nn.Linear(16384, 16384) for _ in range(4)])  # 4 x (2^28 + 2^14) ~ 1.074 B
dt = time.perf_counter() - t0
n = sum(p.numel() for p in m.parameters())
print(f"torch meta 1B: params {n} ({n/1e9:.3f} B, fp32 {n*4/2**30:.2f} GiB); build {dt*1000:.1f} ms; maxrss growth {rss()-r0:.1f} MiB, current-RSS growth {cur()-c0:.1f} MiB")
