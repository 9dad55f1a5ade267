"""Reproducible draws of uncertain parameters, independent of how a run is split.

Draws are generated in fixed blocks of :data:`BLOCK` draws, each parameter's from
its own random stream, keyed by the parameter's path (a correlated group of
parameters shares one stream, keyed by its members). Draw ``i`` of a parameter is
therefore a function of the seed, the parameter and ``i`` alone: the same whether
the run is done at once, in chunks of any size, in threads or on Dask workers,
and whether it has 1,000 draws or 1,000,000 (the first 1,000 are the same).
Adding a parameter to an analysis leaves the draws of the others unchanged.

How a seed becomes random numbers is versioned (:data:`SEED_SCHEMES`); a result
records its scheme, and passing the same seed and scheme repeats it bit for bit.

Scheme 2 (the default)
    Each parameter's stream is one PCG64 generator,
    ``PCG64(SeedSequence(seed, spawn_key=key))``, set up once per run. Block ``b``
    takes that stream from position ``b * 2**64`` on (``PCG64.advance``), so
    blocks never overlap (a block of 2,048 draws uses a few thousand numbers of
    its 2**64). Each thread reuses one ``Generator``, moved to each block's
    position, instead of building a generator per parameter and block.
Scheme 1 (the scheme before version 2 existed)
    Block ``b`` of a parameter is a fresh
    ``Generator(PCG64(SeedSequence(seed, spawn_key=(key, b))))``. Select it with
    ``seed_scheme=1`` to reproduce a run made with it.

Uncorrelated parameters use each distribution's own sampler. Correlated ones use a
Gaussian copula: standard normals ``Z`` (one column per parameter) are mixed by a
factor ``L`` of the correlation matrix ``R = L L'``, turned into uniforms with the
normal CDF and then into values with each distribution's inverse CDF. ``R`` is the
correlation of the underlying normals; the rank (Spearman) correlation of the
draws is ``(6 / pi) * arcsin(R / 2)``, within 0.02 of ``R``.

Whole-number parameters (lag, duration, grades) are rounded to the nearest whole
number after sampling.

References
----------
.. [1] Iman, R. L. and Conover, W. J. (1982), "A distribution-free approach to
   inducing rank correlation among input variables", Communications in
   Statistics - Simulation and Computation 11(3), 311-334.
.. [2] O'Neill, M. E. (2014), "PCG: a family of simple fast space-efficient
   statistically good algorithms for random number generation" (the PCG64 bit
   generator), and NumPy's documentation on ``SeedSequence`` spawning.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np
from scipy import special

from cba.core._errors import CBAError, shown
from cba.core._numbers import number
from cba.engine._compiled import CompiledModel
from cba.uncertainty._distribution_base import Distribution
from cba.uncertainty._distributions import check_support, from_spec
from cba.uncertainty._parameter import Parameter
from cba.uncertainty._parameters import canonical, resolve_many

#: Draws per random-number block (the unit of reproducibility).
BLOCK = 2048
#: The seed schemes (see the module docstring), and the one new runs use.
SEED_SCHEMES = (1, 2)
SEED_SCHEME = 2
#: Scheme 2: numbers of the stream between the starts of consecutive blocks.
STRIDE = 2 ** 64
_TINY = 2.0 ** -54


def stream_key(name: str) -> tuple[int, int]:
    """Two 32-bit words identifying a parameter's (or group's) stream.

    >>> stream_key("outcomes[0].success") == stream_key("outcomes[0].success")
    True
    """
    h = hashlib.sha256(name.encode("utf-8")).digest()
    return int.from_bytes(h[:4], "little"), int.from_bytes(h[4:8], "little")


def generator(entropy: int, key: tuple[int, int], block: int) -> np.random.Generator:
    """Scheme 1: the random stream of one parameter (or group) for one block of draws."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=(*key, block))))


def stream_state(entropy: int, key: tuple[int, int]) -> Mapping[str, Any]:
    """Scheme 2: the state of one parameter's (or group's) PCG64 stream at its start."""
    return np.random.PCG64(np.random.SeedSequence(entropy, spawn_key=key)).state


def check_seed_scheme(scheme) -> int:
    """The seed scheme as an int, or :class:`~cba.core._errors.CBAError`."""
    if isinstance(scheme, bool) or scheme not in SEED_SCHEMES:
        raise CBAError(f"seed_scheme: must be one of {', '.join(map(str, SEED_SCHEMES))}, got {shown(scheme)}")
    return int(scheme)


def parse_correlation(spec, names: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """The correlated parameters and their correlation matrix.

    Parameters
    ----------
    spec : mapping, sequence or DataFrame
        ``{(a, b): rho}``; a list of ``[a, b, rho]``; ``{"parameters": [...],
        "matrix": [[...]]}``; or a square pandas DataFrame labelled by path.
    names : sequence of str
        The parameters that have distributions, in order.

    Returns
    -------
    members : list of str
        Correlated parameters, in the order of ``names``.
    matrix : numpy.ndarray
        Their correlation matrix.

    Raises
    ------
    CBAError
        For a correlation outside [-1, 1], a parameter with no distribution, a
        pair given twice with different values, or a matrix that is not symmetric,
        has a diagonal other than 1, or is not positive semi-definite.
    """
    if spec is None:
        return [], np.eye(0)
    known = list(names)
    pairs: dict[tuple[str, str], float] = {}

    def add(a, b, rho, where):
        a, b = canonical(a), canonical(b)
        for p in (a, b):
            if p not in known:
                raise CBAError(f"correlation{where}: {p} has no distribution")
        if a == b:
            raise CBAError(f"correlation{where}: a parameter cannot be correlated with itself ({a})")
        r = number(rho, f"correlation{where}")
        if not -1.0 <= r <= 1.0:
            raise CBAError(f"correlation{where}: {a} and {b}: must be between -1 and 1, got {shown(rho)}")
        key = (a, b) if known.index(a) < known.index(b) else (b, a)
        if key in pairs and pairs[key] != r:
            raise CBAError(f"correlation{where}: {a} and {b} given twice ({pairs[key]:g} and {r:g})")
        pairs[key] = r

    matrix_form = None
    if hasattr(spec, "columns") and hasattr(spec, "index"):          # a DataFrame
        matrix_form = (list(spec.columns), np.asarray(spec, dtype=float), list(spec.index))
    elif isinstance(spec, Mapping) and "matrix" in spec:
        params = spec.get("parameters")
        if not isinstance(params, Sequence) or isinstance(params, str):
            raise CBAError("correlation: a matrix needs 'parameters', the list of paths it refers to")
        try:
            matrix = np.asarray(spec["matrix"], dtype=float)
        except (TypeError, ValueError):
            raise CBAError("correlation.matrix: must be a square table of numbers") from None
        matrix_form = (list(params), matrix, list(params))
    elif isinstance(spec, Mapping):
        for k, rho in spec.items():
            if not (isinstance(k, tuple) and len(k) == 2):
                raise CBAError(f"correlation: keys must be pairs of parameter paths, got {shown(k)}")
            add(k[0], k[1], rho, "")
    elif isinstance(spec, Sequence) and not isinstance(spec, str):
        for n, row in enumerate(spec):
            if not (isinstance(row, Sequence) and not isinstance(row, str) and len(row) == 3):
                raise CBAError(f"correlation[{n}]: expected [parameter, parameter, correlation], got {shown(row)}")
            add(row[0], row[1], row[2], f"[{n}]")
    else:
        raise CBAError(f"correlation: expected pairs or a matrix, got {type(spec).__name__}")

    if matrix_form is not None:
        cols, m, rows = matrix_form
        if rows != cols:
            raise CBAError("correlation: the matrix's rows and columns must name the same parameters in the same order")
        if m.ndim != 2 or m.shape != (len(cols), len(cols)):
            raise CBAError(f"correlation.matrix: must be {len(cols)} x {len(cols)} for {len(cols)} parameters, "
                           f"got shape {m.shape}")
        if not np.all(np.isfinite(m)):
            raise CBAError("correlation.matrix: every entry must be a finite number")
        if not np.allclose(np.diag(m), 1.0, rtol=0, atol=1e-12):
            raise CBAError("correlation.matrix: the diagonal must be 1 (each parameter with itself)")
        if not np.allclose(m, m.T, rtol=0, atol=1e-12):
            raise CBAError("correlation.matrix: must be symmetric")
        for i in range(len(cols)):
            for j in range(i + 1, len(cols)):
                add(cols[i], cols[j], m[i, j], ".matrix")
        members = [p for p in known if p in {canonical(c) for c in cols}]
    else:
        members = [p for p in known if any(p in k for k in pairs)]

    index = {p: i for i, p in enumerate(members)}
    R = np.eye(len(members))
    for (a, b), r in pairs.items():
        R[index[a], index[b]] = R[index[b], index[a]] = r
    if len(members):
        smallest = float(np.linalg.eigvalsh(R).min())
        if smallest < -1e-10:
            raise CBAError(f"correlation: the correlations cannot all hold at once (the matrix is not positive "
                           f"semi-definite: smallest eigenvalue {smallest:.4g}); weaken some of them")
    return members, R


def factor(R: np.ndarray) -> np.ndarray:
    """``L`` with ``L @ L.T == R``: Cholesky, or from eigenvalues when ``R`` is singular."""
    try:
        return np.linalg.cholesky(R)
    except np.linalg.LinAlgError:
        w, V = np.linalg.eigh(R)
        return V * np.sqrt(np.clip(w, 0.0, None))


class Sampler:
    """Draws of every uncertain parameter, by draw index.

    Parameters
    ----------
    model : CompiledModel
    distributions : mapping of path to distribution spec
        See :func:`cba.uncertainty._distributions.from_spec`.
    seed : int, numpy.random.SeedSequence or None
        ``None`` draws fresh entropy; :attr:`seed` records it so the run can be
        repeated.
    correlation : optional
        See :func:`parse_correlation`.
    seed_scheme : int
        How the seed becomes random numbers (:data:`SEED_SCHEMES`; default
        :data:`SEED_SCHEME`). Scheme 1 repeats runs made before scheme 2 existed.

    Examples
    --------
    >>> import cba
    >>> from cba.engine._compiled import compile_model
    >>> m = compile_model(cba.Intervention.from_dict({"name": "Tiny", "price_base": "2024/25",
    ...     "outcomes": [{"name": "A", "cohort": 10, "success": 0.5,
    ...                   "value": {"components": [{"type": "social", "amount": 1}]}}]}))
    >>> s = Sampler(m, {"outcomes[0].success": {"dist": "uniform", "low": 0.4, "high": 0.6}}, seed=1)
    >>> whole = s.sample(0, 3000)["outcomes[0].success"]
    >>> part = s.sample(1000, 2500)["outcomes[0].success"]
    >>> bool((whole[1000:2500] == part).all())
    True
    """

    def __init__(self, model: CompiledModel, distributions: Mapping[str, object], seed=None, correlation=None,
                 seed_scheme: int = SEED_SCHEME):
        if not isinstance(distributions, Mapping) or not distributions:
            raise CBAError("distributions: give at least one parameter with a distribution, "
                           "e.g. {'outcomes[0].success': {'dist': 'pert', 'low': 0.3, 'mode': 0.5, 'high': 0.7}}")
        self.parameters: list[Parameter] = resolve_many(model, distributions.keys())
        self.distributions: list[Distribution] = []
        for p, spec in zip(self.parameters, distributions.values()):
            d = from_spec(_published(spec, p), p.path)
            check_support(d, p)
            self.distributions.append(d)
        if isinstance(seed, np.random.SeedSequence):
            ss = seed
        else:
            if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
                raise CBAError(f"seed: must be a whole number 0 or more, got {shown(seed)}")
            ss = np.random.SeedSequence(None if seed is None else int(seed))
        #: The entropy of the run: pass it as ``seed`` to repeat the run exactly.
        self.seed: int = int(cast(int, ss.entropy))  # one whole number: from an int or None
        #: The seed scheme: pass it as ``seed_scheme`` (with ``seed``) to repeat the run exactly.
        self.seed_scheme: int = check_seed_scheme(seed_scheme)
        names = [p.path for p in self.parameters]
        self.correlated, self.correlation = parse_correlation(correlation, names)
        self._factor = factor(self.correlation) if self.correlated else None
        self._keys = {p: stream_key(p) for p in names}
        self._group_key = stream_key("correlated:" + "|".join(self.correlated))
        if len(set(self._keys.values())) != len(self._keys):  # pragma: no cover - a sha256 collision
            raise CBAError("two parameters share a random stream; rename one")
        self._states: dict[tuple[int, int], Mapping[str, Any]] = {}
        if self.seed_scheme == 2:
            keys = [self._keys[p] for p in names if p not in set(self.correlated)]
            keys += [self._group_key] if self.correlated else []
            self._states = {k: stream_state(self.seed, k) for k in keys}
        self._init_cache()

    def _init_cache(self) -> None:
        # the last few blocks, so that chunks smaller than a block do not redraw it
        self._cache: OrderedDict[int, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self._local = threading.local()             # scheme 2: one generator per thread

    def __getstate__(self):  # sent to Dask workers without the cache, its lock and the generators
        state = dict(self.__dict__)
        del state["_cache"], state["_lock"], state["_local"]
        state.pop("_bounds_cache", None)
        return state

    def _stream(self, key: tuple[int, int], b: int) -> np.random.Generator:
        """The random numbers of block ``b`` of a stream, under the run's seed scheme."""
        if self.seed_scheme == 1:
            return generator(self.seed, key, b)
        rng = getattr(self._local, "rng", None)
        if rng is None:
            rng = self._local.rng = np.random.Generator(np.random.PCG64(0))
        bits = rng.bit_generator
        bits.state = self._states[key]
        cast(np.random.PCG64, bits).advance(b * STRIDE)  # made as a PCG64 above
        return rng

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._init_cache()

    @property
    def paths(self) -> list[str]:
        return [p.path for p in self.parameters]

    def _bounds(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each parameter's support ``(P, 1)`` twice, and the rows of whole-number parameters."""
        bounds = getattr(self, "_bounds_cache", None)
        if bounds is None:
            lo, hi = (np.array([[d.support[k]] for d in self.distributions], dtype=float) for k in (0, 1))
            integer = np.flatnonzero([p.integer for p in self.parameters])
            bounds = self._bounds_cache = (lo, hi, integer)
        return bounds

    def _block(self, b: int, out: np.ndarray | None = None) -> np.ndarray:
        """Block ``b``: ``(P, BLOCK)``, a row per parameter in :attr:`parameters` order
        (written into ``out`` when given)."""
        out = np.empty((len(self.parameters), BLOCK)) if out is None else out
        group = set(self.correlated)
        for j, (p, d) in enumerate(zip(self.parameters, self.distributions)):
            if p.path not in group:
                out[j] = d.sample(self._stream(self._keys[p.path], b), BLOCK)
        if self.correlated:
            assert self._factor is not None  # made for the correlated parameters
            z = self._stream(self._group_key, b).standard_normal((BLOCK, len(self.correlated)))
            u = np.clip(special.ndtr(z @ self._factor.T), _TINY, 1.0 - 2 * _TINY)
            row = {path: j for j, path in enumerate(self.paths)}
            dists = dict(zip(self.paths, self.distributions))
            for k, path in enumerate(self.correlated):
                out[row[path]] = dists[path].ppf(u[:, k])
        lo, hi, integer = self._bounds()
        np.clip(out, lo, hi, out=out)      # outside the support: no rounding noise
        if len(integer):
            out[integer] = np.rint(out[integer])
        return out

    def _cached_block(self, b: int) -> np.ndarray:
        with self._lock:
            if b in self._cache:
                return self._cache[b]
        block = self._block(b)
        with self._lock:
            self._cache[b] = block
            while len(self._cache) > 4:
                self._cache.popitem(last=False)
        return block

    def workspace(self) -> dict:
        """Scratch arrays of the calling thread for this run, reused from chunk to chunk
        (so that memory is not returned and requested again for every chunk)."""
        space = getattr(self._local, "space", None)
        if space is None:
            space = self._local.space = {}
        return space

    def sample(self, start: int, stop: int, reuse: bool = False) -> dict[str, np.ndarray]:
        """Draws ``start .. stop-1`` of every parameter: path -> array ``(stop - start,)``.

        With ``reuse``, the arrays are this thread's scratch arrays (:meth:`workspace`),
        overwritten by its next call with ``reuse``: use them before then.
        """
        if not 0 <= start <= stop:
            raise ValueError(f"bad draw range {start}..{stop}")
        n, P = stop - start, len(self.parameters)
        space = self.workspace() if reuse else {}
        buf = space.get("sample")
        if buf is None or buf.shape[1] < n:
            buf = np.empty((P, n))
            if reuse:
                space["sample"] = buf
        table = buf[:, :n]                     # a row per parameter
        pos = 0
        for b in range(start // BLOCK, (stop - 1) // BLOCK + 1 if n else start // BLOCK):
            lo, hi = max(start, b * BLOCK) - b * BLOCK, min(stop, (b + 1) * BLOCK) - b * BLOCK
            with np.errstate(over="ignore"):  # a draw that overflows is reported by cba.engine._finite, naming it
                if hi - lo == BLOCK:  # a whole block: drawn in place (no other chunk needs it)
                    self._block(b, out=table[:, pos:pos + BLOCK])
                else:                 # part of one: kept for the chunk that needs the rest
                    table[:, pos:pos + hi - lo] = self._cached_block(b)[:, lo:hi]
            pos += hi - lo
        out = dict(zip(self.paths, table))
        return out


def _published(spec: object, p: Parameter) -> object:
    """A triangular, PERT or uniform distribution given without its ends takes the parameter's
    published range and value (the value of a WELLBY: ``{dist: triangular}``)."""
    if (not isinstance(spec, Mapping) or p.default_range is None
            or spec.get("dist") not in ("triangular", "pert", "uniform")
            or any(k in spec for k in ("low", "mode", "high"))):
        return spec
    low, high = p.default_range
    filled = {**spec, "low": low, "high": high}
    if spec["dist"] != "uniform":
        filled["mode"] = p.base
    return filled
