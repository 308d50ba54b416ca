"""nasflat — few-shot hardware latency prediction for NAS, from Python.

    import nasflat
    p = nasflat.Predictor.load("pixel2.ckpt")
    scores = p.predict(np.arange(4096))          # float32, ranks by latency
    ms = p.predict_ms(["|nor_conv_3x3~0|+|...|"]) # float64, calibrated latency

The same C++ library as the `nasflat` command (README "From Python"): the scores are the CLI's,
bit for bit on the CPU; batching and threads are inside, and the GIL is released while the
predictor computes. Verbs as functions: pretrain, sample, search, experiment (_verbs.py);
Predictor.transfer. Bad input raises ValueError with the CLI's message.
"""

import json
import os

import numpy as np

from . import _arrays, _nasflat, _verbs
from ._verbs import experiment, pretrain, sample, search

__all__ = ["Data", "Predictor", "pretrain", "sample", "search", "experiment", "command",
           "cuda_build"]
__version__ = "0.1.0"


def cuda_build():
    """True when this build of the module has the CUDA backend."""
    return _nasflat.cuda_build()


def command(*args, verbose=True):
    """Runs a `nasflat` verb in-process (command("data", "--space", "nb201")); returns its
    stdout as text."""
    return _nasflat.run_command([str(a) for a in args], not verbose)


class Data:
    """The data folder: `path`, else $NASFLAT_DATA, else ../shared/data, else ./data."""

    def __init__(self, path=None):
        self._data = _nasflat.Data(os.fspath(path) if path else "")

    @property
    def path(self):
        return self._data.path

    @property
    def spaces(self):
        return list(_nasflat.Data.spaces())

    @property
    def devices(self):
        """{space: [device names with latency files]}."""
        return {s: list(self._data.devices(s)) for s in self.spaces}

    @property
    def tasks(self):
        """The 12 tasks of the suite: dicts of name, paper_label, space, index, sources,
        targets."""
        keys = ("name", "paper_label", "space", "index", "sources", "targets")
        return [dict(zip(keys, t)) for t in _nasflat.tasks()]

    def __repr__(self):
        return f"nasflat.Data({self.path!r})"


class Predictor:
    """A latency predictor (a checkpoint of `nasflat pretrain` / `transfer`) with the space it
    scores. compute: "cpu", "cuda" or "auto"; data: the data folder (Data's lookup)."""

    def __init__(self, core):
        self._core = core
        self.report = ""  # what the verb that made it printed, if one did
        self.path = None  # the file it was loaded from or written to, if any

    @staticmethod
    def load(checkpoint, compute="auto", data=None):
        p = Predictor(_nasflat.Predictor.load(os.fspath(checkpoint), compute,
                                              os.fspath(data) if data else ""))
        p.path = os.fspath(checkpoint)
        return p

    def save(self, path):
        self._core.save(os.fspath(path))

    space = property(lambda self: self._core.space, doc='"nb201" or "fbnet"')
    target = property(lambda self: self._core.target, doc="the fitted device")
    devices = property(lambda self: list(self._core.devices), doc="device rows")
    metric = property(lambda self: self._core.metric, doc='"latency" (ms) or "energy" (mJ)')
    calibrated = property(lambda self: self._core.calibrated, doc="predict_ms available")
    compute = property(lambda self: self._core.compute, doc='"cpu" or "cuda"')
    data = property(lambda self: self._core.data, doc="the data folder in use")
    num_archs = property(lambda self: self._core.num_archs, doc="archs of the data folder")
    num_positions = property(lambda self: self._core.num_positions, doc="ops per arch")
    num_ops = property(lambda self: self._core.num_ops, doc="choices per position")

    @property
    def info(self):
        """The checkpoint's description: devices, blend, calibration, pretrain and transfer
        settings and reports."""
        return json.loads(self._core.info_json())

    def arch_string(self, index):
        return self._core.arch_string(int(index))

    def index_of(self, arch):
        return self._core.index_of(str(arch))

    def predict(self, archs, device=None, *, threads=0, batch=0, out=None):
        """Scores (float32, higher = slower) of `archs` on `device` (default: the fitted one).
        archs: int indices, arch strings, or an (n, num_positions) int array of op ids (any
        architecture of the space); GPU arrays (PyTorch, CuPy) give a GPU array back.
        threads: CPU threads (0 = every core; same scores for any count); batch: archs per
        model call (0 = CPU 256, CUDA 32768); out: a float32 array of shape (n,) to fill."""
        return self._run(archs, "score", device, threads, batch, out)

    def predict_ms(self, archs, *, threads=0, batch=0, out=None):
        """Calibrated latency (float64 ms; mJ for an energy predictor) on the fitted device."""
        return self._run(archs, "ms", None, threads, batch, out)

    def transfer(self, measurements, *, name=None, out=None, verbose=False, **options):
        """`nasflat transfer`: this predictor fitted to a device from `measurements` (a
        measurement file, or a dict in its layout such as sample()'s); returns the new
        Predictor (its .report is the CLI's report, .info["transfer"] the numbers)."""
        return _verbs.transfer(self, measurements, name=name, out=out, verbose=verbose,
                               **options)

    def _run(self, archs, what, device, threads, batch, out):
        if _arrays.on_gpu(archs):
            result = self._core.predict_gpu(_arrays.gpu_archs(archs), what, device or "",
                                            int(threads), int(batch))
            return _arrays.to_framework(archs, result)
        a = _arrays.host_archs(self._core, archs)
        dtype = np.float32 if what == "score" else np.float64
        if out is None:
            out = np.empty(a.shape[0], dtype=dtype)
        self._core.predict_into(a, out, what, device or "", int(threads), int(batch))
        return out

    def __repr__(self):
        target = self.target or "not fitted"
        return f"<nasflat.Predictor {self.space}, {target}, {self.compute}>"
