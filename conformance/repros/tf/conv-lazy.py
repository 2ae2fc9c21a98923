"""conv-lazy on Keras 3: the native image layout is NHWC (channels_last), and the
conv kernel does not exist before data; every shape is inferred at the first call."""
import os

os.environ.setdefault("KERAS_BACKEND", "tensorflow")
import keras  # noqa: E402

model = keras.Sequential([keras.layers.Conv2D(16, 3), keras.layers.BatchNormalization(),
                          keras.layers.Flatten(), keras.layers.Dense(10)])
print("observed: image layout:", keras.config.image_data_format(), "| spec expects: NCHW (channels_first)")
try:
    print("observed: conv kernel shape:", model.layers[0].kernel.shape)
except AttributeError as exc:
    print("observed: conv kernel before data -> AttributeError:", str(exc).splitlines()[0][:60])
print("spec expects: (16, ?, 3, 3), Keras layout (3, 3, ?, 16)")
print("output shape:", tuple(model(keras.random.uniform((2, 32, 32, 3))).shape))  # NHWC batch
print("after the first call:", [(w.path.split("/")[-1], tuple(w.shape)) for w in model.trainable_weights])
