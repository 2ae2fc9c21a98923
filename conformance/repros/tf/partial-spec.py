"""partial-spec on Keras 3: only the model input can be declared (keras.Input), and it
builds every layer at once: the second kernel is fully shaped before data and no
initializer can be chosen afterwards."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

model = keras.Sequential([keras.Input((20,)), keras.layers.Dense(256, activation="relu"),
                          keras.layers.Dense(10)])
print("observed: kernels before data (Keras layout in, out):",
      [tuple(layer.kernel.shape) for layer in model.layers])
print("spec expects: (20, 256) shaped, the second (?, 10) still deferred")
print("built before data:", [layer.built for layer in model.layers],
      "| re-initialize method:", hasattr(model.layers[1], "reset_parameters"))
print("spec expects: initialize(init) runs the initializer for the first kernel only, "
      "the second at the first call")
