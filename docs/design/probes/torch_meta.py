"""Probe: torch 2.13 abstract build (meta device) and materialisation. Run:
.tox/torch/bin/python docs/design/probes/torch_meta.py"""
import resource, time, sys, warnings
import torch, torch.nn as nn
print("torch", torch.__version__)

def rss_mib(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def mlp(): return nn.Sequential(nn.Linear(20, 256), nn.ReLU(), nn.Linear(256, 10))

# 1. MLP on meta
with torch.device("meta"):
    m = mlp()
p = m[0].weight
print("1 meta MLP:", {n: (tuple(t.shape), str(t.dtype), t.device.type) for n, t in m.named_parameters()})
print("1 is_meta", p.is_meta, "untyped_storage nbytes", p.untyped_storage().nbytes())
try:
    print(p.sum().item())
except Exception as e:
    print("1 read value ->", type(e).__name__, str(e).splitlines()[0])
y = m(torch.empty(2, 20, device="meta")); print("1 forward on meta ->", tuple(y.shape), y.device)

# 3. materialise vs eager under same seed
torch.manual_seed(0); eager = mlp()
torch.manual_seed(0)
with torch.device("meta"):
    mm = mlp()
mm.to_empty(device="cpu")
torch.manual_seed(0)
for mod in mm.modules():
    if hasattr(mod, "reset_parameters"): mod.reset_parameters()
eq = {n: torch.equal(a, b) for (n, a), (_, b) in zip(eager.named_parameters(), mm.named_parameters())}
print("3 to_empty+reset_parameters (reseeded) equal to eager:", eq)
torch.manual_seed(0)
mm2 = mlp().to("meta").to_empty(device="cpu")
for mod in mm2.modules():
    if isinstance(mod, nn.Linear): mod.reset_parameters()
print("3 reset in module order w/o reseed equal:", all(torch.equal(a, b) for a, b in zip(eager.parameters(), mm2.parameters())))
w = mm[0].weight; b = 1 / 20 ** 0.5
print("3 distribution: max|w| %.4f bound %.4f std %.4f (U std %.4f)" % (w.abs().max(), b, w.std(), b / 3 ** 0.5))
# skip_init
torch.manual_seed(0)
si = torch.nn.utils.skip_init(nn.Linear, 20, 256)
print("3 skip_init device", si.weight.device, "equal to eager layer0?", torch.equal(si.weight, eager[0].weight))

# 4. module without reset_parameters + buffer in __init__
class Rotary(nn.Module):
    def __init__(self, n=8):
        super().__init__()
        self.register_buffer("pos", torch.arange(n, dtype=torch.float32))
        self.scale = nn.Parameter(torch.ones(n))
    def forward(self, x): return x * self.scale + self.pos
with torch.device("meta"):
    r = Rotary(); bn = nn.BatchNorm1d(4)
r.to_empty(device="cpu"); bn.to_empty(device="cpu")
print("4 Rotary has reset_parameters:", hasattr(r, "reset_parameters"))
print("4 Rotary.pos after to_empty:", r.pos.tolist(), "expected", list(range(8)))
print("4 Rotary.scale after to_empty:", r.scale.tolist())
print("4 BN before reset: running_mean", bn.running_mean.tolist(), "running_var", bn.running_var.tolist(),
      "num_batches_tracked", bn.num_batches_tracked.item())
bn.reset_parameters()
print("4 BN after reset_parameters: running_mean", bn.running_mean.tolist(), "running_var", bn.running_var.tolist(),
      "weight", bn.weight.tolist())
# non-persistent buffer
class NP(nn.Module):
    def __init__(self):
        super().__init__(); self.register_buffer("inv_freq", 1.0 / (10000 ** (torch.arange(0, 8, 2).float() / 8)), persistent=False)
with torch.device("meta"):
    npm = NP()
print("4 non-persistent buffer in state_dict:", "inv_freq" in npm.state_dict(), "values after to_empty:", npm.to_empty(device="cpu").inv_freq.tolist())

# 5. tied weights
class Tied(nn.Module):
    def __init__(self):
        super().__init__(); self.a = nn.Linear(4, 4, bias=False); self.b = nn.Linear(4, 4, bias=False); self.b.weight = self.a.weight
with torch.device("meta"):
    t = Tied()
print("5 tied on meta: same object", t.a.weight is t.b.weight, "n params", len(list(t.parameters())))
t.to_empty(device="cpu")
print("5 after to_empty: same object", t.a.weight is t.b.weight, "n params", len(list(t.parameters())))
t2 = Tied().to("meta")
print("5 .to('meta') on an eager tied model: same object", t2.a.weight is t2.b.weight)

# 6. LazyLinear on meta
with warnings.catch_warnings(record=True) as ws:
    warnings.simplefilter("always")
    with torch.device("meta"):
        lz = nn.Sequential(nn.LazyLinear(256), nn.ReLU(), nn.Linear(256, 10))
    print("6 LazyLinear on meta: weight type", type(lz[0].weight).__name__, "device", lz[0].weight.device)
    try:
        out = lz(torch.empty(2, 20, device="meta"))
        print("6 forward with meta input ->", tuple(out.shape), "weight", type(lz[0].weight).__name__, tuple(lz[0].weight.shape), lz[0].weight.device)
    except Exception as e:
        print("6 forward meta ->", type(e).__name__, str(e).splitlines()[0])
    with torch.device("meta"):
        lz2 = nn.Sequential(nn.LazyLinear(256))
    try:
        lz2.to_empty(device="cpu")
        print("6 to_empty on never-run LazyLinear -> ok, weight", type(lz2[0].weight).__name__)
    except Exception as e:
        print("6 to_empty on never-run LazyLinear ->", type(e).__name__, str(e).splitlines()[0])
    try:
        out = lz2(torch.randn(2, 20))
        print("6 cpu data into meta LazyLinear ->", tuple(out.shape))
    except Exception as e:
        print("6 cpu data into meta LazyLinear ->", type(e).__name__, str(e).splitlines()[0])
    for w_ in ws: print("6 warning:", w_.category.__name__, str(w_.message)[:120])
