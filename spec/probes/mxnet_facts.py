"""Probe MXNet 1.9.1 Gluon deferred-init semantics; prints one JSON object (sorted keys).

Standalone: plain MXNet, imports nothing from the repo.
Run: MXNET_ENGINE_TYPE=NaiveEngine OMP_NUM_THREADS=1 python mxnet_facts.py
Each fact builds its nets inside a fresh mx.name.NameManager(), so names restart at dense0.
"""
import json, os, subprocess, sys, tempfile, traceback, warnings
import mxnet as mx
from mxnet import autograd, gluon, nd
import numpy as np
from mxnet.gluon import nn

FACTS = {}
LOG = []

def exc(e):
    """First line of the message; for MXNet C++ errors ("Traceback ..." + frames) the
    first non-indented line after the traceback header."""
    lines = str(e).strip().splitlines() or ['']
    if lines[0].startswith('Traceback') and len(lines) > 1:
        lines = [ln for ln in lines[1:] if ln and not ln[0].isspace()] or lines
    return "raises %s: %s" % (type(e).__name__, lines[0][:150])

def attempt(f):
    try:
        return f()
    except Exception as e:  # noqa
        return exc(e)

def gluon_frames(f):
    """Gluon-level Python function names on the traceback of the exception f() raises."""
    try:
        f()
    except Exception as e:  # noqa
        tb = traceback.extract_tb(e.__traceback__)
        return [fr.name for fr in tb if os.sep + 'gluon' + os.sep in fr.filename]
    return 'no exception'

shp = lambda a: list(a.shape)  # noqa: E731
data_or_exc = lambda p: attempt(lambda: shp(p.data()))  # noqa: E731

class Rec(mx.init.Initializer):
    """Logs (tag, name, shape, method) and fills with `fill`."""
    def __init__(self, tag='rec', fill=0.5):
        super().__init__()
        self.tag, self.fill = tag, fill

    def _log(self, name, arr, meth):
        LOG.append([self.tag, str(name), list(arr.shape), meth])
        arr[:] = self.fill

    def _init_weight(self, name, arr):
        self._log(name, arr, '_init_weight')

    def _init_bias(self, name, arr):
        self._log(name, arr, '_init_bias')

    def _init_default(self, name, arr):
        self._log(name, arr, '_init_default')

def take_log():
    out, LOG[:] = list(LOG), []
    return out

def mlp(l1=None, l2=None, **kw):
    net = nn.Sequential()
    a = dict(kw)
    if l1:
        a['in_units'] = l1
    b = {'in_units': l2} if l2 else {}
    net.add(nn.Dense(256, activation='relu', **a), nn.Dense(10, **b))
    return net

X = lambda *shape, dtype='float32': nd.random.uniform(shape=shape or (2, 20), dtype=dtype)  # noqa
params4 = lambda net: [net[0].weight, net[0].bias, net[1].weight, net[1].bias]  # noqa: E731

def fact(fn):
    def run():
        with mx.name.NameManager():
            del LOG[:]
            try:
                fn()
            except Exception as e:  # noqa
                FACTS[fn.__name__ + '__FAILED'] = exc(e)
    run.__name__ = fn.__name__
    ALL.append(run)
    return fn

ALL = []
put = FACTS.__setitem__
allclose = lambda a, v: bool((a == v).asnumpy().all())  # noqa: E731 (exact equality)

@fact
def f01_before_init():
    net = mlp()
    put('f01_param_names_shapes', [[p.name, list(p.shape)] for p in params4(net)])
    put('f01_weight_data_before_init', data_or_exc(net[0].weight))
    put('f01_bias_data_before_init', data_or_exc(net[0].bias))

@fact
def f02_init_no_data():
    net = mlp()
    net.initialize()
    put('f02_data_after_initialize_no_data', {p.name: data_or_exc(p) for p in params4(net)})
    put('f02_bias_value_after_initialize', attempt(lambda: float(net[0].bias.data().abs().max().asscalar())))
    net = mlp()
    net.initialize(Rec('rec'))
    put('f02_rec_calls_at_initialize', take_log())
    net(X())
    put('f02_rec_calls_at_first_forward', take_log())
    put('f02_bias_values_after_forward_all_zero', allclose(net[0].bias.data(), 0))
    net = nn.Sequential()
    net.add(nn.Dense(256, activation='relu', bias_initializer=None), nn.Dense(10))
    net.initialize(Rec('rec'))
    put('f02_bias_initializer_None_calls_at_initialize', take_log())
    net(X())
    put('f02_bias_initializer_None_calls_at_first_forward', take_log())

@fact
def f03_construction_init():
    net = nn.Sequential()
    net.add(nn.Dense(256, activation='relu', weight_initializer=Rec('rec_w'), bias_initializer=Rec('rec_b')),
            nn.Dense(10))
    net.initialize()
    put('f03_ctor_rec_calls_at_initialize', take_log())
    net(X())
    put('f03_ctor_rec_calls_at_first_forward', take_log())
    net = nn.Sequential()
    net.add(nn.Dense(256, activation='relu', weight_initializer=Rec('A_ctor')), nn.Dense(10))
    net.initialize(Rec('B_global'))
    net(X())
    put('f03_precedence_ctorA_vs_initializeB_calls', take_log())
    put('f03_precedence_bias_all_zero', allclose(net[0].bias.data(), 0))

@fact
def f04_set_data():
    net = mlp()
    put('f04_set_data_before_initialize', attempt(lambda: net[0].weight.set_data(nd.ones((256, 20)))))
    net = mlp()
    net.initialize()
    r = attempt(lambda: net[0].weight.set_data(nd.ones((256, 20))))
    put('f04_set_data_on_deferred', 'accepted (returned None)' if r is None else r)
    put('f04_weight_shape_after_deferred_set_data', list(net[0].weight.shape))
    net(X())
    put('f04_weight_all_ones_after_forward', allclose(net[0].weight.data(), 1))

@fact
def f05_reinit():
    net = mlp()
    net.initialize()
    net(X())
    before = [p.data().copy() for p in params4(net)]
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        net.initialize()
    put('f05_second_initialize_warnings', [str(m.message) for m in w])
    put('f05_second_initialize_warning_count', len(w))
    put('f05_second_initialize_values_unchanged',
        all(allclose(p.data(), b) for p, b in zip(params4(net), before)))
    net[0].bias.set_data(nd.ones((256,)) * 3)
    net.initialize(Rec('rec', fill=0.25), force_reinit=True)
    put('f05_force_reinit_calls', take_log())
    put('f05_force_reinit_weight_all_rec_fill', allclose(net[0].weight.data(), 0.25))
    put('f05_force_reinit_bias_set3_now_all_zero', allclose(net[0].bias.data(), 0))

@fact
def f06_force_reinit_deferred():
    net = mlp()
    net.initialize(Rec('old'))
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        net.initialize(Rec('new'), force_reinit=True)
    put('f06_force_reinit_while_deferred_warnings', [str(m.message) for m in w])
    put('f06_calls_at_both_initializes', take_log())
    net(X())
    put('f06_calls_at_first_forward', take_log())

@fact
def f07_in_units_both():
    net = mlp(20, 256)
    put('f07_shapes_before_initialize', [list(p.shape) for p in params4(net)])
    net.initialize(Rec('rec'))
    put('f07_calls_at_initialize', take_log())
    put('f07_data_before_forward', [data_or_exc(p) for p in params4(net)])
    net(X())
    put('f07_calls_at_first_forward', take_log())

@fact
def f08_in_units_first():
    net = mlp(20)
    net.initialize(Rec('rec'))
    put('f08_calls_at_initialize', take_log())
    put('f08_net1_weight_data', data_or_exc(net[1].weight))
    net(X())
    put('f08_calls_at_first_forward', take_log())

@fact
def f09_mismatch():
    for tag, args in (('first_only', (20,)), ('both', (20, 256))):
        net = mlp(*args)
        net.initialize()
        put('f09_%s_forward_2x30' % tag, attempt(lambda: shp(net(X(2, 30)))))
        put('f09_%s_gluon_frames' % tag, gluon_frames(lambda: net(X(2, 30))))
        put('f09_%s_data_after' % tag, {p.name: data_or_exc(p) for p in params4(net)})
        put('f09_%s_net0_weight_shape' % tag, list(net[0].weight.shape))

@fact
def f10_shapes():
    net = mlp()
    net.initialize()
    put('f10_out_shape_2x4x5', attempt(lambda: shp(net(X(2, 4, 5)))))
    put('f10_weight_shape_after_2x4x5', list(net[0].weight.shape))
    net = mlp()
    net.initialize()
    net(X())
    put('f10_forward_2x30_after_2x20', attempt(lambda: shp(net(X(2, 30)))))
    put('f10_weight_shape_after_2x30', list(net[0].weight.shape))
    put('f10_out_shape_7x20', attempt(lambda: shp(net(X(7, 20)))))

@fact
def f11_float64():
    net = mlp()
    net.initialize()
    put('f11_param_dtypes_before_data', [str(p.dtype) for p in (net[0].weight, net[0].bias)])
    put('f11_float64_forward', attempt(lambda: str(net(X(dtype='float64')).dtype)))
    put('f11_param_dtypes_after', [str(p.dtype) for p in (net[0].weight, net[0].bias)])
    put('f11_weight_data_after_failed_forward', data_or_exc(net[0].weight))
    put('f11_float64_gluon_frames', gluon_frames(lambda: net(X(dtype='float64'))))

@fact
def f12_routing():
    net = mlp()
    net.initialize()
    net(X())
    net[1].initialize(mx.init.Constant(42), force_reinit=True)
    put('f12_net1_const42_weight_all42', allclose(net[1].weight.data(), 42))
    put('f12_net1_const42_bias_all42', allclose(net[1].bias.data(), 42))
    put('f12_net1_const42_bias_all0', allclose(net[1].bias.data(), 0))
    net[0].bias.set_data(nd.ones((256,)) * 3)
    net[0].weight.initialize(init=mx.init.Xavier(), force_reinit=True)
    put('f12_weight_reinit_bias_unchanged', allclose(net[0].bias.data(), 3))
    net[0].bias.initialize(init=mx.init.Constant(7), force_reinit=True)
    put('f12_bias_param_init_const7_all7', allclose(net[0].bias.data(), 7))
    net = mlp(20, 256)
    net.initialize(mx.init.Constant(1))
    put('f12_in_units_const1_weight_all1', allclose(net[0].weight.data(), 1))
    put('f12_in_units_const1_bias_all1', allclose(net[0].bias.data(), 1))
    put('f12_in_units_const1_bias_all0', allclose(net[0].bias.data(), 0))

@fact
def f13_save_load():
    fn = os.path.join(tempfile.mkdtemp(), 'p.params')
    net = mlp()
    net.initialize()
    put('f13_save_while_deferred', attempt(lambda: net.save_parameters(fn)))
    x = X()
    y = net(x)
    net.save_parameters(fn)
    net2 = mlp()
    put('f13_load_into_fresh', attempt(lambda: net2.load_parameters(fn)) or 'ok')
    put('f13_fresh_shapes_after_load', [list(p.shape) for p in params4(net2)])
    put('f13_fresh_output_equal', attempt(lambda: bool(allclose(net2(x), y))))

@fact
def f14_tied():
    shared = nn.Dense(8, activation='relu')
    net = nn.Sequential()
    net.add(nn.Dense(8, activation='relu'), shared, nn.Dense(8, activation='relu', params=shared.params),
            nn.Dense(10))
    put('f14_same_object_before_init', net[1].weight is net[2].weight)
    put('f14_names', [net[1].weight.name, net[2].weight.name])
    net.initialize()
    x = X()
    with autograd.record():
        loss = net(x).sum()
    loss.backward()
    put('f14_same_object_after_forward', net[1].weight is net[2].weight)
    put('f14_shared_weight_shape', list(net[1].weight.shape))
    # manual: grad = sum of the two uses, computed with separate leaf copies
    w, b = net[1].weight.data().copy(), net[1].bias.data().copy()
    w1, w2 = w.copy(), w.copy()
    for a in (w1, w2):
        a.attach_grad()
    with autograd.record():
        h = net[0](x)
        h = nd.relu(nd.FullyConnected(h, w1, b, num_hidden=8))
        h = nd.relu(nd.FullyConnected(h, w2, b, num_hidden=8))
        o = net[3](h).sum()
    o.backward()
    tot = w1.grad + w2.grad
    g = net[1].weight.grad()
    put('f14_grad_equals_sum_of_uses', bool(nd.abs(g - tot).max().asscalar() < 1e-5))
    put('f14_grad_equals_single_use', bool(nd.abs(g - w2.grad).max().asscalar() < 1e-5))
    put('f14_net1_net2_grad_identical', bool(allclose(net[1].weight.grad(), net[2].weight.grad())))

@fact
def f15_conv():
    net = nn.Sequential()
    net.add(nn.Conv2D(16, kernel_size=3), nn.BatchNorm(), nn.Dense(10))
    ps = net.collect_params()
    put('f15_shapes_before_data', {k: list(v.shape) for k, v in ps.items()})
    net.initialize()
    net(X(2, 3, 32, 32))
    put('f15_shapes_after_forward', {k: list(v.shape) for k, v in ps.items()})

def np_mode_child():
    from mxnet import npx
    npx.set_np()
    net = mlp()
    r = {'f16_np_str_net0': str(net[0]), 'f16_np_weight_shape_before': list(net[0].weight.shape)}
    r['f16_np_weight_data_before_init'] = data_or_exc(net[0].weight)
    net.initialize()
    r['f16_np_weight_data_after_initialize'] = data_or_exc(net[0].weight)
    r['f16_np_bias_data_after_initialize'] = data_or_exc(net[0].bias)
    r['f16_np_out_shape'] = attempt(lambda: list(net(mx.np.random.uniform(size=(2, 20))).shape))
    r['f16_np_weight_shape_after'] = list(net[0].weight.shape)
    net = mlp()
    net.initialize()
    r['f23_np_deferred_weight_dtype_before_data'] = str(np.dtype(net[0].weight.dtype))
    print(json.dumps(r))

@fact
def f16_np_mode():
    out = subprocess.run([sys.executable, os.path.abspath(__file__), '--np-child'],
                         capture_output=True, text=True, timeout=300)
    FACTS.update(json.loads(out.stdout.strip().splitlines()[-1]))
    with mx.util.np_shape(True), mx.util.np_array(True):
        net = mlp()
        put('f16_scoped_weight_shape_before', list(net[0].weight.shape))
        put('f16_scoped_str_net0', str(net[0]))
        net.initialize()
        put('f16_scoped_weight_data_after_initialize', data_or_exc(net[0].weight))
    put('f16_legacy_str_net0', str(mlp()[0]))

@fact
def f17_names():
    n1, n2 = mlp(), mlp()
    put('f17_two_mlps_param_names', [[p.name for p in params4(n)] for n in (n1, n2)])
    put('f17_collect_params_weight_keys', list(n1.collect_params('.*weight').keys()))
    put('f17_net_name', n1.name)

@fact
def f18_default_init():
    net = mlp()
    net.initialize()
    net(X())
    put('f18_default_max_abs_weight', float(net[0].weight.data().abs().max().asscalar()))
    put('f18_default_bias_all_zero', allclose(net[0].bias.data(), 0) and allclose(net[1].bias.data(), 0))

@fact
def f19_grad_before_backward():
    net = mlp(20)
    net.initialize()
    put('f19_grad_before_backward_all_zero', attempt(lambda: allclose(net[0].weight.grad(), 0)))
    net = mlp()
    net.initialize()
    put('f19_grad_while_deferred', attempt(lambda: shp(net[0].weight.grad())))

@fact
def f20_param_reinit_warning():
    net = mlp(20)
    net.initialize()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        net[0].weight.initialize(init=mx.init.Xavier())
    put('f20_param_level_reinit_warnings', [str(m.message) for m in w])

class Unused(nn.Block):
    def __init__(self, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.used = nn.Dense(4)
            self.unused = nn.Dense(3)

    def forward(self, x):
        return self.used(x)

@fact
def f21_unused():
    b = Unused()
    b.initialize()
    b(X())
    put('f21_unused_weight_shape_after_forward', list(b.unused.weight.shape))
    put('f21_unused_weight_data', data_or_exc(b.unused.weight))
    put('f21_unused_bias_data', data_or_exc(b.unused.bias))
    put('f21_save_with_unused_deferred', attempt(
        lambda: b.save_parameters(os.path.join(tempfile.mkdtemp(), 'u.params'))))

def sgd_step_changed(net, x):
    """One SGD step on sum(net(x)): {layer index: whether its parameters changed}."""
    before = [[p.data().copy() for p in (l.weight, l.bias)] for l in (net[0], net[1])]
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    with autograd.record():
        loss = net(x).sum()
    loss.backward()
    trainer.step(1)
    return {str(i): any(not allclose(p.data(), b) for p, b in zip((l.weight, l.bias), bs))
            for i, (l, bs) in enumerate(zip((net[0], net[1]), before))}

@fact
def f22_freeze_ways():
    ways = {'layer': lambda l: l.collect_params().setattr('grad_req', 'null'),
            'parameter': lambda l: [setattr(p, 'grad_req', 'null')
                                    for p in l.collect_params().values()]}
    for way, freeze in ways.items():
        net = mlp()
        net.initialize()
        put(f'f22_{way}_freeze_before_data', attempt(lambda: (freeze(net[0]), 'frozen')[1]))
        x = X()
        net(x)
        put(f'f22_{way}_step_after_early_freeze', sgd_step_changed(net, x))
        net = mlp()
        net.initialize()
        net(x)
        freeze(net[0])
        put(f'f22_{way}_step_after_late_freeze', sgd_step_changed(net, x))

@fact
def f23_deferred_dtype():
    net = mlp()
    net.initialize()
    put('f23_deferred_weight_dtype_before_data', str(np.dtype(net[0].weight.dtype)))
    put('f23_deferred_weight_shape_before_data', list(net[0].weight.shape))
    put('f23_params_holding_values_after_initialize',
        [p.name for p in params4(net) if not str(data_or_exc(p)).startswith('raises')])

if __name__ == '__main__':
    if '--np-child' in sys.argv:
        np_mode_child()
        sys.exit(0)
    mx.random.seed(0)
    put('mxnet_version', mx.__version__)
    for f in ALL:
        f()
    print(json.dumps(FACTS, sort_keys=True, indent=1))
