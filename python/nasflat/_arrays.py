"""_arrays.py — the forms `Predictor.predict` takes architectures in, brought to what the
compiled core reads: int32 indices (n,) or int32 op ids (n, P), C-contiguous.

  * an int array (or list) of indices into the data folder's architectures;
  * a list of strings as the CLI reads them (NB201 arch strings, 6 or 22 comma-separated ops,
    an index);
  * an (n, P) int array of op ids (P = 6 for NB201, 22 for FBNet): any architecture of the
    space, in the data folder or not;
  * any of the int arrays in GPU memory (PyTorch, CuPy: DLPack), answered in GPU memory.
"""

import numpy as np

_INT32 = np.iinfo(np.int32)


def on_gpu(x):
    """True for an array in CUDA memory (DLPack device type 2)."""
    device = getattr(x, "__dlpack_device__", None)
    if device is None or isinstance(x, np.ndarray):
        return False
    try:
        return device()[0] == 2
    except Exception:  # an object with a broken __dlpack_device__ is not ours to judge
        return False


def host_archs(core, archs):
    """archs -> int32 array (n,) of indices or (n, P) of op ids; errors as ValueError."""
    if isinstance(archs, str):
        archs = [archs]
    if isinstance(archs, (list, tuple)) and any(isinstance(a, str) for a in archs):
        return np.asarray(core.indices_of([_text(a, k) for k, a in enumerate(archs)]),
                          dtype=np.int32)
    a = np.asarray(archs)
    if a.dtype.kind in "USO" and a.ndim == 1:
        return host_archs(core, a.tolist())
    if a.size == 0:
        return np.zeros((0,), dtype=np.int32)
    if a.dtype.kind not in "iu":
        raise ValueError(
            f"archs: integer indices, arch strings or an (n, {core.num_positions}) array of op "
            f"ids; got an array of {a.dtype}")
    if a.ndim not in (1, 2):
        raise ValueError(f"archs: an array of indices (n,) or of op ids (n, "
                         f"{core.num_positions}), got shape {a.shape}")
    if a.dtype != np.int32:
        outside = (a < _INT32.min) | (a > _INT32.max)
        if outside.any():
            at = tuple(np.argwhere(outside)[0])
            what = "index" if a.ndim == 1 else "op"
            raise ValueError(f"archs[{at[0]}]: {what} {a[at]} is out of range for {core.space}")
    return np.ascontiguousarray(a, dtype=np.int32)


def gpu_archs(x):
    """A GPU array as C-contiguous int32 in the same framework (PyTorch or CuPy)."""
    module = type(x).__module__.split(".")[0]
    if module == "torch":
        import torch
        return x.to(dtype=torch.int32).contiguous()
    if module == "cupy":
        import cupy
        return cupy.ascontiguousarray(x, dtype=cupy.int32)
    return x


def to_framework(like, result):
    """The DLPack result as an array of the input's framework (PyTorch, CuPy), else as it is."""
    module = type(like).__module__.split(".")[0]
    if module == "torch":
        import torch
        return torch.from_dlpack(result)
    if module == "cupy":
        import cupy
        return cupy.from_dlpack(result)
    return result


def _text(a, k):
    if isinstance(a, str):
        return a
    if isinstance(a, (int, np.integer)):
        return str(int(a))
    raise ValueError(f"archs[{k}]: an arch string or an index, got {type(a).__name__}")
