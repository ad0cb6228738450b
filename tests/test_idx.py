"""IDX parsing and its errors."""

import gzip

import numpy as np
import pytest

from fmnist.data import idx


def test_encode_then_parse_round_trips():
    array = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    parsed = idx.parse(idx.encode(array), (2, 28, 28), "images")
    np.testing.assert_array_equal(parsed, array)


@pytest.mark.parametrize(
    "mangle, message",
    [
        (lambda payload: payload[:6], "too short"),
        (lambda payload: b"\x00\x00\x09\x03" + payload[4:], "magic number"),
        (lambda payload: payload[:4] + (3).to_bytes(4, "big") + payload[8:], "shape"),
        (lambda payload: payload[:-1], "bytes, expected"),
    ],
)
def test_parse_names_what_is_wrong(mangle, message):
    payload = idx.encode(np.zeros((2, 28, 28), dtype=np.uint8))
    with pytest.raises(idx.DataFileError, match=message) as caught:
        idx.parse(mangle(payload), (2, 28, 28), "some-file")
    assert "some-file" in str(caught.value)


def test_truncated_gzip_is_reported(tmp_path):
    path = tmp_path / "labels.gz"
    path.write_bytes(gzip.compress(b"x" * 1000)[:-10])
    with pytest.raises(idx.DataFileError, match="not a complete gzip file"):
        idx.read_payload(path)


def test_plain_file_is_read_as_is(tmp_path):
    path = tmp_path / "labels"
    path.write_bytes(b"\x00\x00\x08\x01")
    assert idx.read_payload(path) == b"\x00\x00\x08\x01"
