"""haiku: there is no eager layer to ask for: every hk.Module must be made inside a
transformed function (outside one, hk.Linear(10) raises "All `hk.Module`s must be
initialized inside an `hk.transform`"), its parameters exist only as init(rng, x)
returns them, and hk.Linear has no input-size argument (hk.Linear(10, input_size=20) is
a TypeError), so a network refusing deferral cannot be built (eager-required/refused,
eager-required/partial-refused: unsupported)."""
import inspect
import json

import haiku as hk

if __name__ == "__main__":
    print("# hk.Linear.__init__", inspect.signature(hk.Linear.__init__))
    try:
        hk.Linear(10)
    except ValueError as exc:
        print("# outside a transform:", str(exc)[:90])
    try:
        hk.transform(lambda: hk.Linear(10, input_size=20)).init(None)
    except TypeError as exc:
        print("# an input size:", exc)
    print("OBSERVED eager-required/refused", json.dumps(None))
    print("OBSERVED eager-required/partial-refused", json.dumps(None))
