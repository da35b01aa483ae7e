"""Train the embedded moderator from the project corpus: `sightguard train-moderator`.

One-vs-rest logistic regression over [USE multilingual embedding, hashed n-grams], fitted jointly with
L-BFGS (deterministic: fixed start, full batch). Calibration and default thresholds come from
out-of-fold scores on the *training* split (5 folds, grouped by corpus group); the development
split is never seen here, so the figures measured on it stay honest.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .corpus import Example, load_corpus
from .embedder import Embedder
from .features import BUCKETS, LEXICAL_WEIGHT, hashed
from .model import ModelWeights
from .taxonomy import CATEGORIES, PEOPLE_INTENTS

FOLDS = 5
# per-example-averaged loss + L2 * |w|^2 / 2; picked from {1e-3, 1e-4, 1e-5} by 3-fold grouped CV on the training split
L2 = 1e-5
MAX_POS_WEIGHT = 8.0
# Default thresholds share one out-of-fold false-positive budget per guard (joint_thresholds):
# the text guards' categories against all benign training texts, the people intents against the
# benign questions about pictured people (corpus files people*.yaml), where a blind user's "how
# many people are in this photo?" lives.
TEXT_BUDGET = 0.04
PEOPLE_BUDGET = 0.02
PEOPLE_FILES = "people"
THRESHOLD_RANGE = (0.05, 0.95)


@dataclass
class Design:
    embeddings: np.ndarray  # (N, DIM)
    lexical: object  # scipy.sparse.csr_matrix (N, BUCKETS)
    labels: np.ndarray  # (N, C) 0/1
    groups: list[str]

    def rows(self, index: np.ndarray) -> Design:
        return Design(self.embeddings[index], self.lexical[index], self.labels[index], [self.groups[i] for i in index])  # type: ignore[index]


def design(examples: Sequence[Example], embedder: Embedder, batch: int = 64) -> Design:
    from scipy import sparse

    texts = [e.text for e in examples]
    embeddings = np.vstack([embedder.embed(texts[i : i + batch]) for i in range(0, len(texts), batch)])
    indptr, indices, values = [0], [], []
    for text in texts:
        idx, val = hashed(text)
        indices.append(idx)
        values.append(val)
        indptr.append(indptr[-1] + len(idx))
    lexical = sparse.csr_matrix(
        (np.concatenate(values), np.concatenate(indices), np.array(indptr)), shape=(len(texts), BUCKETS)
    )
    labels = np.array([[c in e.labels for c in CATEGORIES] for e in examples], dtype=np.float64)
    return Design(embeddings.astype(np.float64), lexical, labels, [e.group for e in examples])


@dataclass
class Fit:
    w_embedding: np.ndarray  # (C, DIM)
    w_lexical: np.ndarray  # (C, BUCKETS)
    bias: np.ndarray

    def logits(self, d: Design) -> np.ndarray:
        return np.asarray(d.embeddings @ self.w_embedding.T + d.lexical @ self.w_lexical.T + self.bias)


def fit(d: Design, l2: float = L2, max_iter: int = 400) -> Fit:
    from scipy.optimize import minimize
    from scipy.special import expit

    n, c = d.labels.shape
    pos = d.labels.sum(axis=0)
    pos_weight = np.clip((n - pos) / np.maximum(pos, 1.0), 1.0, MAX_POS_WEIGHT)
    sample_w = np.where(d.labels > 0, pos_weight, 1.0) / n
    dim = d.embeddings.shape[1]
    size_e, size_l = dim * c, BUCKETS * c

    def unpack(theta: np.ndarray) -> Fit:
        return Fit(
            theta[:size_e].reshape(c, dim),
            theta[size_e : size_e + size_l].reshape(c, BUCKETS),
            theta[size_e + size_l :],
        )

    def loss_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        f = unpack(theta)
        z = f.logits(d)
        # log(1 + e^z) - y z, computed stably
        loss = float((sample_w * (np.logaddexp(0.0, z) - d.labels * z)).sum())
        r = sample_w * (expit(z) - d.labels)  # (N, C)
        g_e = r.T @ d.embeddings + l2 * f.w_embedding
        g_l = np.asarray((d.lexical.T @ r).T) + l2 * f.w_lexical  # type: ignore[attr-defined]
        g_b = r.sum(axis=0)
        loss += 0.5 * l2 * float((f.w_embedding**2).sum() + (f.w_lexical**2).sum())
        return loss, np.concatenate([g_e.ravel(), g_l.ravel(), g_b])

    theta0 = np.zeros(size_e + size_l + c)
    result = minimize(loss_grad, theta0, jac=True, method="L-BFGS-B", options={"maxiter": max_iter})
    return unpack(result.x)


def out_of_fold_logits(d: Design, folds: int = FOLDS) -> np.ndarray:
    unique = sorted(set(d.groups))
    fold_of = {g: int(hashlib.sha256(g.encode()).hexdigest(), 16) % folds for g in unique}
    assignment = np.array([fold_of[g] for g in d.groups])
    out = np.zeros_like(d.labels)
    for k in range(folds):
        held = np.flatnonzero(assignment == k)
        kept = np.flatnonzero(assignment != k)
        out[held] = fit(d.rows(kept)).logits(d.rows(held))
    return out


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)))


def platt(logits: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Fit sigmoid(a*z + b) to labels by minimising the log loss against Platt's targets (L-BFGS
    from a=1, b=0). Newton's method, used before, has no safe step on well-separated scores: its
    Hessian vanishes, and a slope of ~1e10 put every threshold at the top of the range."""
    from scipy.optimize import minimize

    n_pos, n_neg = labels.sum(), len(labels) - labels.sum()
    target = np.where(labels > 0, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))

    def loss_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        z = theta[0] * logits + theta[1]
        r = _sigmoid(z) - target
        return float((np.logaddexp(0.0, z) - target * z).mean()), np.array([(r * logits).mean(), r.mean()])

    result = minimize(loss_grad, np.array([1.0, 0.0]), jac=True, method="L-BFGS-B", options={"gtol": 1e-10})
    return float(result.x[0]), float(result.x[1])


def joint_thresholds(
    probs: np.ndarray,
    labels: np.ndarray,
    population: np.ndarray,
    columns: list[int],
    budget: float,
    step: int = 4,
    lookahead: int = 12,
) -> dict[int, float]:
    """Thresholds for several categories that share one false-positive budget.

    A request is refused when any category flags it, so what matters is the union: how many
    harmful texts any category catches against how many benign texts any category flags. Start
    every threshold at the top of the range and repeatedly make the move that catches the most
    new harmful texts per newly flagged benign text: lowering one category's threshold past its
    next `step`, 2`step`, ... `lookahead`*`step` positives. Stop when no move fits in `budget`
    (the share of the benign population the union may flag). All on out-of-fold scores.
    """
    harmful = labels[:, columns].sum(axis=1) > 0
    limit = int(np.floor(budget * population.sum()))
    thresholds = {j: THRESHOLD_RANGE[1] for j in columns}
    candidates = {j: np.sort(probs[labels[:, j] > 0, j])[::-1] for j in columns}
    cursor = dict.fromkeys(columns, 0)
    flagged = np.zeros(len(probs), dtype=bool)
    while True:
        spent = int((flagged & population).sum())
        best: tuple[float, int, int, float] | None = None  # ratio, column, new cursor, threshold
        for j in columns:
            for m in range(1, lookahead + 1):
                k = cursor[j] + m * step
                if k > len(candidates[j]):
                    break
                t = max(float(candidates[j][k - 1]) - 1e-6, THRESHOLD_RANGE[0])
                new = (probs[:, j] >= t) & ~flagged
                gain, cost = int((new & harmful).sum()), int((new & population).sum())
                if spent + cost > limit:
                    break
                ratio = gain / (cost + 0.5)
                if gain and (best is None or ratio > best[0]):
                    best = (ratio, j, k, t)
        if best is None:
            return thresholds
        _, j, cursor[j], thresholds[j] = best
        flagged |= probs[:, j] >= thresholds[j]


def corpus_digest(examples: Sequence[Example]) -> str:
    h = hashlib.sha256()
    for e in examples:
        h.update(f"{e.group}\t{e.lang}\t{sorted(e.labels)}\t{e.text}\n".encode())
    return h.hexdigest()[:16]


def train(corpus_dir: Path, out: Path, log: bool = True, oof_out: Path | None = None) -> ModelWeights:
    t0 = time.perf_counter()
    examples = load_corpus(corpus_dir)
    training = [e for e in examples if e.split == "train"]
    embedder = Embedder()
    d = design(training, embedder)
    if log:
        print(
            f"{len(training)} training texts ({len(examples) - len(training)} held out for dev); "
            f"features in {time.perf_counter() - t0:.0f}s"
        )
    oof = out_of_fold_logits(d)
    calibration = [platt(oof[:, j], d.labels[:, j]) for j in range(len(CATEGORIES))]
    benign = d.labels.sum(axis=1) == 0
    benign_people = benign & np.array([g.startswith(PEOPLE_FILES) for g in d.groups])
    probs = np.column_stack([_sigmoid(a * oof[:, j] + b) for j, (a, b) in enumerate(calibration)])
    if oof_out is not None:  # for studying thresholds without refitting
        np.savez_compressed(oof_out, probs=probs, labels=d.labels, groups=np.array(d.groups))
    people = [CATEGORIES.index(c) for c in PEOPLE_INTENTS]
    refusing = [j for j in range(len(CATEGORIES)) if j not in people]
    chosen = joint_thresholds(probs, d.labels, benign, refusing, TEXT_BUDGET)
    chosen |= joint_thresholds(probs, d.labels, benign_people, people, PEOPLE_BUDGET)
    thresholds = [chosen[j] for j in range(len(CATEGORIES))]
    final = fit(d)
    weights = ModelWeights(
        categories=CATEGORIES,
        w_embedding=final.w_embedding,
        w_lexical=final.w_lexical,
        bias=final.bias,
        platt_a=np.array([a for a, _ in calibration]),
        platt_b=np.array([b for _, b in calibration]),
        thresholds=np.array(thresholds),
        meta={
            "embedder": embedder.name,
            "buckets": BUCKETS,
            "lexical_weight": LEXICAL_WEIGHT,
            "l2": L2,
            "train_texts": len(training),
            "corpus_digest": corpus_digest(examples),
        },
    )
    weights.save(out)
    if log:
        print(f"wrote {out} in {time.perf_counter() - t0:.0f}s")
    return weights
