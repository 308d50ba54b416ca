"""_verbs.py — the `nasflat` verbs as Python functions: pretrain, sample, transfer, search,
experiment. Each runs the verb in this process, exactly as on the command line: keyword
arguments are its flags (source_samples=30 is --source-samples 30; True switches a flag on; a
list is several values, or a comma-separated list where the flag takes one), so the options,
defaults, checks and error messages are the CLI's (`nasflat VERB --help`). Files the verb would
write go to a temporary folder unless you name them, and come back as Python objects:
a Predictor, or a dict of what the verb's JSON holds (arrays as NumPy arrays).
Progress lines (stderr) are shown with verbose=True.
"""

import json
import os
import tempfile

import numpy as np

from . import _nasflat


def keywords(options):
    """Keyword arguments -> (name, [text values], is_bool) for the compiled core."""
    out = []
    for name, value in options.items():
        if value is None:
            continue
        if isinstance(value, (bool, np.bool_)):
            out.append((name, ["true" if value else "false"], True))
            continue
        if isinstance(value, (list, tuple, np.ndarray)):
            values = [_text(v) for v in value]
        else:
            values = [_text(value)]
        out.append((name, values, False))
    return out


def _text(v):
    if isinstance(v, (str, os.PathLike)):
        return os.fspath(v)
    if isinstance(v, (bool, np.bool_)):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return repr(float(v))
    return str(v)


def run(verb, options, verbose=False, tmp=None):
    """Runs `verb` with keyword options; returns what it printed on stdout, less the lines
    about files in the temporary folder `tmp`."""
    text = _nasflat.run_verb(verb, keywords(options), not verbose)
    if tmp is None:
        return text
    return "".join(line for line in text.splitlines(True) if tmp not in line)


def _arrays(d):
    """A verb's JSON with its number lists as NumPy arrays."""
    for key in ("arch_index", "latency", "energy", "values"):
        if isinstance(d.get(key), list) and all(isinstance(v, (int, float)) for v in d[key]):
            d[key] = np.asarray(d[key])
    return d


def _read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _plain(value):
    """NumPy values -> JSON-writable Python values."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def pretrain(*, out=None, verbose=False, **options):
    """`nasflat pretrain` -> the pre-trained Predictor (also written to `out` when given).

    nasflat.pretrain(space="nb201", devices=["1080ti_1", "pixel3"], source_samples=30, epochs=1)
    """
    from . import Predictor
    with tempfile.TemporaryDirectory(prefix="nasflat-") as tmp:
        path = os.fspath(out) if out is not None else os.path.join(tmp, "pretrained.ckpt")
        report = run("pretrain", dict(options, out=path), verbose, tmp)
        p = Predictor.load(path, compute=options.get("device") or "auto",
                           data=options.get("data"))
    p.report = report
    p.path = os.fspath(out) if out is not None else None
    return p


def sample(*, out=None, verbose=False, **options):
    """`nasflat sample` -> dict of the measurement-layout file: "space", "arch_index" (array),
    "archs" (strings), and with fill_from= the copied values ("latency" or "energy", "unit").

    nasflat.sample(space="nb201", count=8, sampler="kmeancosine", fill_from="pixel2", seed=3)
    """
    with tempfile.TemporaryDirectory(prefix="nasflat-") as tmp:
        path = os.fspath(out) if out is not None else os.path.join(tmp, "sample.json")
        report = run("sample", dict(options, out=path), verbose, tmp)
        if path.endswith(".txt"):
            with open(path, encoding="utf-8") as f:
                lines = [line.strip() for line in f if line.strip() and not line.startswith("#")]
            result = {"space": options.get("space"), "archs": lines}
        else:
            result = _arrays(_read_json(path))
    result["report"] = report
    return result


def transfer(predictor, measurements, *, name=None, out=None, verbose=False, **options):
    """`nasflat transfer` of `predictor` -> the fitted Predictor; `predictor` is left as it was.
    measurements: a measurement file, or a dict in its layout (e.g. sample()'s result)."""
    from . import Predictor
    with tempfile.TemporaryDirectory(prefix="nasflat-") as tmp:
        checkpoint = os.path.join(tmp, "in.ckpt")
        predictor.save(checkpoint)
        if isinstance(measurements, dict):
            body = {k: v for k, v in measurements.items() if k != "report"}
            if name is None:
                name = body.get("device")
            if name is None:
                raise ValueError("transfer: measurements given as a dict need the device's "
                                 "name; fix: pass name=\"DEVICE\"")
            path = os.path.join(tmp, "measurements.json")
            with open(path, "w", encoding="utf-8") as f:
                json.dump(_plain(body), f)
        else:
            path = os.fspath(measurements)
        target = os.fspath(out) if out is not None else os.path.join(tmp, "transferred.ckpt")
        options.setdefault("data", predictor.data)
        options.setdefault("device", predictor.compute)
        report = run("transfer", dict(options, checkpoint=checkpoint, measurements=path,
                                      name=name, out=target), verbose)
        fitted = Predictor.load(target, compute=options["device"], data=options["data"])
    report = report.replace(checkpoint, "the predictor")
    fitted.report = "".join(line for line in report.splitlines(True) if tmp not in line)
    fitted.path = os.fspath(out) if out is not None else None
    return fitted


def search(predictor, *, json_out=None, verbose=False, **options):
    """`nasflat search` with a Predictor (or a checkpoint file) -> dict of its --json: "device",
    "mode", "objective", "truth", "choices" (one dict per limit: arch, predicted_ms, ...).

    nasflat.search(p, latency_max=[14, 18, 22], mode="evolution", generations=50)
    """
    with tempfile.TemporaryDirectory(prefix="nasflat-") as tmp:
        if isinstance(predictor, (str, os.PathLike)):
            checkpoint = os.fspath(predictor)
        else:
            checkpoint = os.path.join(tmp, "predictor.ckpt")
            predictor.save(checkpoint)
            options.setdefault("data", predictor.data)
            options.setdefault("device", predictor.compute)
        path = os.fspath(json_out) if json_out is not None else os.path.join(tmp, "search.json")
        report = run("search", dict(options, checkpoint=checkpoint, json=path), verbose, tmp)
        result = _read_json(path)
    if not isinstance(predictor, (str, os.PathLike)):
        result["checkpoint"] = getattr(predictor, "path", None)
    result["report"] = report
    return result


def experiment(*, json_out=None, verbose=False, **options):
    """`nasflat experiment` -> dict of its --json (per device and per task Spearman / Kendall).

    nasflat.experiment(space="nb201", task="N1", samples=[10, 20], trials=1, epochs=5)
    """
    with tempfile.TemporaryDirectory(prefix="nasflat-") as tmp:
        path = os.fspath(json_out) if json_out is not None else os.path.join(tmp, "experiment.json")
        report = run("experiment", dict(options, json=path), verbose, tmp)
        result = _read_json(path)
    result["report"] = report
    return result
