"""The router's text classifier: Chinese demand text in, category or department with a calibrated
confidence out.

Design (measured against the named baseline in ``bench/router.py``, figures and the variants that did not
help in ``docs/PERFORMANCE.md``):

- The text is normalised first: ASCII letters and digits (anonymisation codes such as ``A市``, ``K8县``,
  dates, phone numbers) and punctuation carry no topic and only add rare n-grams.
- Three views of a demand, each a linear SVM with balanced class weights (macro-F1 counts the small classes
  as much as the large ones) calibrated with Platt scaling on three stratified folds, so that every view
  speaks in probabilities; the router averages them with fixed weights:

  1. *whole text* (weight 1): the title (the first line; the CLI and the services join title and details
     with a newline) repeated twice, because a citizen's title names the matter more plainly than the
     details, then TF-IDF of character 1–2-grams plus jieba words at three-quarter weight. Each feature is
     then scaled by its *relevance frequency* learnt from the training labels (how much more often the
     feature occurs in some class than outside it), so words that name a matter count more than words every
     complaint uses; a stronger ``C`` suits the sharper features.
  2. *words* (weight ½): jieba's search-mode words of the whole text (a long word and its parts, so
     ``公积金贷款`` also counts as ``公积金``), rare words kept.
  3. *title* (weight ½): the title alone, characters and words, so that a long story cannot drown it.

  Views trained on different features err on different demands; their average is right a little more often
  than the best of them alone (5-fold CV on the labelled messages, mean of eight splits: +0.2 to +0.4 points
  macro-F1 over the whole-text view alone, +0.9 over the previous single-view router). The average is
  under-confident, so one exponent fitted on held-out predictions sharpens it (ECE 0.105 -> 0.029).
"""

from __future__ import annotations

import io
import re
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize, minimize_scalar
from scipy.special import expit
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from redchain.routing.segment import lcut, lcut_for_search

SEED = 0
TITLE_SEPARATOR = "\n"
_NOISE = re.compile(r"[A-Za-z0-9０-９Ａ-Ｚａ-ｚ]+|[\W_]+")
_TITLE_FALLBACK_CHARS = 40

DEFAULT_PARAMS: dict[str, Any] = {
    "title_repeat": 2,
    "char_ngrams": (1, 2),
    "min_df": 2,
    "max_df": 0.5,
    "word_weight": 0.75,
    "relevance_weighting": True,
    "C": 2.0,
    "calibration_folds": 3,
    "words_view_weight": 0.5,
    "title_view_weight": 0.5,
}


def tokenize(text: str) -> list[str]:
    """Jieba words of ``text`` (precise mode; the HMM joins unknown words, deterministically)."""
    return [word for word in lcut(text) if word.strip()]


def tokenize_for_search(text: str) -> list[str]:
    """Jieba's search-mode words: every word, and the dictionary words inside the long ones."""
    return [word for word in lcut_for_search(text) if word.strip()]


def normalise(text: str, *, title_repeat: int = 1) -> str:
    """Strip codes, digits and punctuation; repeat the first line (the title) ``title_repeat`` times."""
    title, _, details = (text or "").partition(TITLE_SEPARATOR)
    title, details = _NOISE.sub(" ", title).strip(), _NOISE.sub(" ", details).strip()
    return " ".join([title] * title_repeat + [details]).strip()


def title_only(text: str) -> str:
    """The normalised title, or the start of the details when a demand came without one."""
    title, _, details = (text or "").partition(TITLE_SEPARATOR)
    return _NOISE.sub(" ", title).strip() or _NOISE.sub(" ", details[:_TITLE_FALLBACK_CHARS]).strip()


def _char_text(text: str) -> str:
    # Spaces only mark where punctuation was; character n-grams must not span them or count them.
    return text.replace(" ", "")


def baseline_pipeline() -> Pipeline:
    """The named baseline: TF-IDF on character 1–3-grams of the raw text and a linear SVM, defaults."""
    return Pipeline(
        [
            ("tfidf", TfidfVectorizer(analyzer="char", ngram_range=(1, 3))),
            ("svm", LinearSVC(random_state=SEED)),
        ]
    )


class RelevanceWeighting(TransformerMixin, BaseEstimator):
    """Scale each feature by its relevance frequency, then L2-normalise the rows.

    For a feature and a class, compare the share of the class's training documents that contain it with the
    share of the other documents that do: ``log2(2 + inside / max(outside, 1 / n))``. A feature keeps the
    best of its classes, so a word typical of any one class is lifted above one spread evenly over all classes
    (您好, 反映, 希望: ``log2(3)``). Shares rather than counts, so a large class does not lend its words more
    weight.
    """

    def fit(self, X, y):
        present = sp.csr_matrix(X, copy=True)
        present.data = np.ones_like(present.data)
        labels = np.asarray(y)
        classes = np.unique(labels)
        onehot = sp.csr_matrix((labels[:, None] == classes[None, :]).astype(float))
        inside_counts = np.asarray((present.T @ onehot).todense())  # features x classes
        class_sizes = np.asarray(onehot.sum(axis=0)).ravel()
        outside_counts = inside_counts.sum(axis=1, keepdims=True) - inside_counts
        outside_sizes = np.maximum(len(labels) - class_sizes, 1)
        inside = inside_counts / class_sizes
        outside = np.maximum(outside_counts / outside_sizes, 1.0 / len(labels))
        self.weights_ = np.log2(2.0 + inside / outside).max(axis=1)
        return self

    def transform(self, X):
        return normalize(sp.csr_matrix(X).multiply(self.weights_).tocsr())


def _tfidf_chars(params: dict[str, Any], **overrides: Any) -> TfidfVectorizer:
    options = {"min_df": params["min_df"], "max_df": params["max_df"], **overrides}
    return TfidfVectorizer(
        analyzer="char", ngram_range=tuple(params["char_ngrams"]), preprocessor=_char_text, **options
    )


def _tfidf_words(params: dict[str, Any], tokenizer=tokenize, **overrides: Any) -> TfidfVectorizer:
    options = {"min_df": params["min_df"], "max_df": params["max_df"], **overrides}
    return TfidfVectorizer(tokenizer=tokenizer, token_pattern=None, lowercase=False, **options)


def _chars_and_words(params: dict[str, Any], **overrides: Any) -> FeatureUnion:
    return FeatureUnion(
        [("chars", _tfidf_chars(params, **overrides)), ("words", _tfidf_words(params, **overrides))],
        transformer_weights={"chars": 1.0, "words": params["word_weight"]},
    )


def platt_fit(margins: np.ndarray, positive: np.ndarray) -> tuple[float, float]:
    """Platt's sigmoid ``1 / (1 + exp(a * margin + b))`` for one class, fitted by maximum likelihood on
    held-out margins with his smoothed targets, so that a small class is not pushed to 0 or 1."""
    n_pos = float(positive.sum())
    n_neg = float(len(positive) - n_pos)
    target = np.where(positive, (n_pos + 1.0) / (n_pos + 2.0), 1.0 / (n_neg + 2.0))

    def loss(ab: np.ndarray) -> tuple[float, np.ndarray]:
        z = ab[0] * margins + ab[1]
        # -log p = log(1 + e^z) and -log(1 - p) = log(1 + e^-z), with p = 1 / (1 + e^z); both stable.
        value = target * np.logaddexp(0.0, z) + (1.0 - target) * np.logaddexp(0.0, -z)
        slope = target - expit(-z)  # d value / d z
        return float(value.sum()), np.array([(slope * margins).sum(), slope.sum()])

    start = np.array([0.0, float(np.log((n_neg + 1.0) / (n_pos + 1.0)))])
    result = minimize(loss, start, jac=True, method="L-BFGS-B")
    return float(result.x[0]), float(result.x[1])


def _platt_proba(margins: np.ndarray, sigmoids: np.ndarray) -> np.ndarray:
    probabilities = expit(-(margins * sigmoids[:, 0] + sigmoids[:, 1]))
    return probabilities / np.maximum(probabilities.sum(axis=1, keepdims=True), 1e-12)


def _per_class(margins: np.ndarray) -> np.ndarray:
    """One margin column per class; scikit-learn gives a two-class SVM's margins as one column (the second
    class's), so the first class gets its mirror image."""
    return np.column_stack([-margins, margins]) if margins.ndim == 1 else margins


class CalibratedView:
    """One view of a demand: its features, a linear SVM with balanced class weights, and one Platt sigmoid
    per class fitted on margins the SVM gave to texts it was not trained on (``folds``-fold CV), so that
    the view speaks in probabilities. The features are learnt once from all training texts; the final SVM
    is trained on all of them, the fold SVMs only serve the calibration."""

    def __init__(self, features: Any, *, C: float, folds: int) -> None:
        self.features, self.C, self.folds = features, C, folds

    def _svm(self) -> LinearSVC:
        return LinearSVC(C=self.C, class_weight="balanced", random_state=SEED)

    def fit(self, texts: list[str], labels: list[str]) -> np.ndarray:
        """Train; return the held-out probabilities of the training texts (for the router's temperature)."""
        y = np.asarray(labels)
        X = self.features.fit_transform(texts, y)
        smallest = int(np.unique(y, return_counts=True)[1].min())
        splitter = StratifiedKFold(n_splits=min(self.folds, smallest), shuffle=True, random_state=SEED)
        held_out = _per_class(cross_val_predict(self._svm(), X, y, cv=splitter, method="decision_function"))
        self.svm_ = self._svm().fit(X, y)
        self.classes_ = [str(label) for label in self.svm_.classes_]
        self.sigmoids_ = np.array(
            [platt_fit(held_out[:, i], y == label) for i, label in enumerate(self.svm_.classes_)]
        )
        return _platt_proba(held_out, self.sigmoids_)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        margins = _per_class(self.svm_.decision_function(self.features.transform(texts)))
        return _platt_proba(margins, self.sigmoids_)


def fit_temperature(probabilities: np.ndarray, truth: np.ndarray) -> float:
    """The exponent ``t`` for which ``p ** t`` (renormalised) best predicts the held-out truth.

    An average of calibrated views is less sure of itself than it should be (where the views disagree the
    average flattens); one fitted exponent restores sharpness without changing any ranking."""
    rows = np.arange(len(truth))

    def loss(t: float) -> float:
        return float(-np.log(np.maximum(sharpen(probabilities, t)[rows, truth], 1e-12)).mean())

    return float(minimize_scalar(loss, bounds=(0.25, 8.0), method="bounded").x)


def sharpen(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    powered = np.power(np.maximum(probabilities, 1e-12), temperature)
    return powered / powered.sum(axis=1, keepdims=True)


def _whole_text_features(params: dict[str, Any]) -> Any:
    if not params["relevance_weighting"]:
        return _chars_and_words(params)
    return Pipeline([("tfidf", _chars_and_words(params)), ("relevance", RelevanceWeighting())])


def _search_words(params: dict[str, Any]) -> TfidfVectorizer:
    return _tfidf_words(params, tokenizer=tokenize_for_search, min_df=1)


def _title_features(params: dict[str, Any]) -> FeatureUnion:
    # Titles are short: every n-gram counts, and a frequent one may still be the whole matter.
    return _chars_and_words(params, min_df=1, max_df=1.0)


class TextRouter:
    """Chinese text classifier with calibrated probabilities: a weighted average of three calibrated views,
    sharpened by one temperature fitted on held-out predictions."""

    def __init__(self, **params: Any) -> None:
        unknown = set(params) - set(DEFAULT_PARAMS)
        if unknown:
            raise TypeError(f"unknown TextRouter parameters: {', '.join(sorted(unknown))}")
        self.params: dict[str, Any] = {**DEFAULT_PARAMS, **params}
        self.classes_: list[str] = []
        self.temperature_ = 1.0
        # (name, weight, view); a view is a CalibratedView, or the scikit-learn pipeline of an older blob.
        self._views: list[tuple[str, float, Any]] = []

    def _inputs(self, name: str, texts: list[str]) -> list[str]:
        if name == "title":
            return [title_only(text) for text in texts]
        return [normalise(text, title_repeat=self.params["title_repeat"]) for text in texts]

    def _planned_views(self) -> list[tuple[str, float, CalibratedView]]:
        p, folds = self.params, self.params["calibration_folds"]
        planned = [
            ("whole", 1.0, CalibratedView(_whole_text_features(p), C=p["C"], folds=folds)),
            ("words", p["words_view_weight"], CalibratedView(_search_words(p), C=1.0, folds=folds)),
            ("title", p["title_view_weight"], CalibratedView(_title_features(p), C=1.0, folds=folds)),
        ]
        return [(name, weight, view) for name, weight, view in planned if weight > 0]

    def fit(self, texts: list[str], labels: list[str]) -> TextRouter:
        labels = [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        if len(set(labels)) < 2:
            raise ValueError("at least two classes are needed to train a router")
        if min(labels.count(label) for label in set(labels)) < 2:
            raise ValueError("every class needs at least two examples")
        self._views = self._planned_views()
        held_out = self._mix(
            [(w, view.fit(self._inputs(name, texts), labels)) for name, w, view in self._views]
        )
        self.classes_ = self._views[0][2].classes_
        truth = np.searchsorted(np.array(self.classes_), np.array(labels))
        self.temperature_ = fit_temperature(held_out, truth)
        return self

    @staticmethod
    def _mix(weighted: list[tuple[float, np.ndarray]]) -> np.ndarray:
        # Every view was fitted on the same labels, so their columns are the same sorted classes.
        total = np.sum([weight * p for weight, p in weighted], axis=0)
        return total / sum(weight for weight, _ in weighted)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Calibrated probabilities, one row per text, columns in the order of ``classes_``."""
        if not self._views:
            raise RuntimeError("the router is not trained")
        mixed = self._mix(
            [(w, view.predict_proba(self._inputs(name, texts))) for name, w, view in self._views]
        )
        return sharpen(mixed, self.temperature_)

    def predict(self, texts: list[str]) -> list[str]:
        return [top[0][0] for top in self.predict_top(texts, k=1)]

    def predict_top(self, texts: list[str], k: int = 3) -> list[list[tuple[str, float]]]:
        """The ``k`` likeliest classes of each text with their probabilities, best first."""
        result = []
        for row in self.predict_proba(texts):
            order = sorted(range(len(row)), key=lambda i: (-row[i], self.classes_[i]))[:k]
            result.append([(self.classes_[i], float(row[i])) for i in order])
        return result

    def dumps(self) -> bytes:
        buffer = io.BytesIO()
        state = {"params": self.params, "classes": self.classes_, "views": self._views}
        joblib.dump({**state, "temperature": self.temperature_}, buffer)
        return buffer.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> TextRouter:
        """Rebuild a router from ``dumps``; only ever call this on blobs this project wrote itself."""
        state = joblib.load(io.BytesIO(data))  # noqa: S301 - our own RouterModel.blob, never user uploads
        known = {key: value for key, value in state["params"].items() if key in DEFAULT_PARAMS}
        router = cls(**known)
        router.classes_ = state["classes"]
        if "views" in state:
            router._views, router.temperature_ = state["views"], state["temperature"]
        else:  # a one-model router stored before the views existed: it still predicts as it did
            router.params["title_repeat"] = state["params"].get("title_repeat", 2)
            router._views = [("whole", 1.0, state["model"])]
        return router
