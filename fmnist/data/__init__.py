"""The data layer: Fashion-MNIST's files found, verified, downloaded and turned into model inputs.

- `idx`: the IDX file format of the four files.
- `fashion_mnist`: where the files are looked for, their checksums, the download, and
  the scaling of pixels and labels that the model trains on.

It imports no TensorFlow. Its code is part of the cache key (`fmnist.store.results`).
"""
