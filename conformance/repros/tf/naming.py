"""naming on Keras 3: weight paths are <model>/<layer>/<variable>; the role is
'kernel' (not 'weight'); no native regular-expression selection."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

model = keras.Sequential([keras.layers.Dense(256, activation="relu"), keras.layers.Dense(10)])
model(keras.random.uniform((2, 20)))
names = [w.path for w in model.weights]
print("observed: names:", names)
print("spec expects: ['denseN_weight', 'denseN_bias', 'denseN_weight', 'denseN_bias']")
print("observed: every name ends with its role (weight, bias):",
      all(n.endswith(role) for n, role in zip(names, ["weight", "bias"] * 2)), "| spec expects: True")
print("regex selection method (like collect_params('.*weight')):", hasattr(model, "collect_params"))
