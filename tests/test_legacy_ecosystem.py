"""examples/prepare_dataset.lua, a legacy-style script using lfs, cjson, csvigo, tds and hdf5
together, run unchanged through `th`; its outputs are checked with json, csv, h5py and
os, and the vocabulary file with the .t7 reader."""
import csv
import json
import os
import re

import h5py
import numpy as np

import torch7_compat as t7
from conftest import ROOT, run_th

SAMPLES = [("The cat sat on the mat", 1), ("A dog barked", 0), ("the dog and the cat", 1),
           ("Birds fly", 0)]


def test_prepare_dataset_script(tmp_path):
    data, out = tmp_path / "data", tmp_path / "prepared"
    data.mkdir()
    (data / "config.json").write_text(json.dumps({"max_words": 4, "comment": "demo"}))
    with open(data / "samples.csv", "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["text", "label"])
        writer.writerows(SAMPLES)

    result = run_th(os.path.join(ROOT, "examples", "prepare_dataset.lua"),
                    "-data", str(data), "-out", str(out))
    assert result.returncode == 0, result.stderr

    vocabulary = {}
    for text, _ in SAMPLES:
        for word in re.findall("[a-z]+", text.lower()):
            vocabulary.setdefault(word, len(vocabulary) + 1)
    features = np.zeros((len(SAMPLES), 4), np.int64)
    for i, (text, _) in enumerate(SAMPLES):
        for j, word in enumerate(re.findall("[a-z]+", text.lower())[:4]):
            features[i, j] = vocabulary[word]
    labels = np.array([label for _, label in SAMPLES], np.float64)

    with h5py.File(out / "data.h5", "r") as f:
        np.testing.assert_array_equal(f["features"][()], features)
        np.testing.assert_array_equal(f["labels"][()], labels)
    summary = json.loads((out / "summary.json").read_text())
    assert summary == {"samples": 4, "vocabulary": len(vocabulary),
                       "first_words": list(vocabulary)[:3],
                       "files": ["data.h5", "vocab.t7"], "mean_label": labels.mean(),
                       "bytes": os.path.getsize(out / "data.h5")}
    assert result.stdout == "4 samples, %d words\n" % len(vocabulary)
    vocab = t7.load(str(out / "vocab.t7"))
    assert dict(vocab.items()) == {word: float(i) for word, i in vocabulary.items()}
