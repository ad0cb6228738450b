"""Read and check IDX files, the format Fashion-MNIST is stored in."""

from __future__ import annotations

import gzip
import hashlib
import pathlib
import zlib

import numpy as np

# The IDX magic number: two zero bytes, a type code (0x08 is uint8) and the number of dimensions.
UINT8_TYPE_CODE = 0x08


class DataFileError(ValueError):
    """A data file is missing, corrupt, truncated or not the file it should be."""


def read_payload(path: pathlib.Path) -> bytes:
    """Return the decompressed bytes of a gzip file (or the bytes of a plain file)."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise DataFileError(f"cannot read {path}: {error.strerror}") from error
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as error:
        raise DataFileError(f"{path} is not a complete gzip file ({error})") from error


def sha256_hex(payload: bytes) -> str:
    """Return the SHA-256 of a payload as hex."""
    return hashlib.sha256(payload).hexdigest()


def parse(payload: bytes, expected_shape: tuple[int, ...], name: str) -> np.ndarray:
    """Check an IDX header against the expected shape and return the uint8 array."""
    num_dims = len(expected_shape)
    header_size = 4 + 4 * num_dims
    if len(payload) < header_size:
        raise DataFileError(f"{name} is too short to hold an IDX header ({len(payload)} bytes)")
    if payload[0:2] != b"\x00\x00" or payload[2] != UINT8_TYPE_CODE or payload[3] != num_dims:
        raise DataFileError(
            f"{name} has IDX magic number {payload[:4].hex()}, "
            f"expected 0000{UINT8_TYPE_CODE:02x}{num_dims:02x} (uint8, {num_dims} dimensions)"
        )
    shape = tuple(
        int.from_bytes(payload[4 + 4 * i : 8 + 4 * i], "big") for i in range(num_dims)
    )
    if shape != expected_shape:
        raise DataFileError(f"{name} holds an array of shape {shape}, expected {expected_shape}")
    expected_size = header_size + int(np.prod(expected_shape))
    if len(payload) != expected_size:
        raise DataFileError(f"{name} has {len(payload)} bytes, expected {expected_size}")
    return np.frombuffer(payload, dtype=np.uint8, offset=header_size).reshape(expected_shape)


def encode(array: np.ndarray) -> bytes:
    """Return the IDX bytes of a uint8 array (used to write test fixtures)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, UINT8_TYPE_CODE, array.ndim])
    header += b"".join(int(size).to_bytes(4, "big") for size in array.shape)
    return header + array.tobytes()
