"""The engine: the only code that imports TensorFlow and Keras; everything here decides the numbers.

- `arithmetic`: how TensorFlow will compute (oneDNN's kernels or not), set before it starts.
- `backend`: TensorFlow's threads and determinism, set before it starts.
- `model`: the paper's CNN and the better CNN's choices.
- `training`: the training loop (a new batch order every epoch, each batch gathered inside
  the step) and `train_new_model`, which seeds, builds and trains a model.
- `checkpoints`: a fold's training state, saved after every epoch.
- `fold_training`: one cross-validation fold: its split, its seed, its training, its result.
- `official_test`: train on all training images, then score the official test images.
- `baselines`: the noise study's plain `model.fit` loops (Keras 2 and Keras 3).

The whole folder is hashed into the cache key (`fmnist.store.results.code_fingerprint`), so
any change here starts new runs.
"""
