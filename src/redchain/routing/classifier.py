"""The router's text classifier: Chinese demand text in, category or department with a calibrated
confidence out.

Design (measured against the named baseline in ``bench/router.py``, figures in ``docs/PERFORMANCE.md``):

- The text is normalised first: ASCII letters and digits (anonymisation codes such as ``A市``, ``K8县``,
  dates, phone numbers) and punctuation carry no topic and only add rare n-grams.
- The first line is the title (the CLI and the services join title and details with a newline); it is
  repeated so that it counts twice, because a citizen's title names the matter more plainly than the details.
- Features: TF-IDF of character 1–2-grams that occur in at least two messages and in at most half of them,
  plus, at three-quarter weight, TF-IDF of jieba words.
- A linear SVM with balanced class weights (macro-F1 counts the small classes as much as the large ones),
  calibrated with Platt scaling on three stratified folds, so that the confidence shown to dispatchers is a
  probability and not a margin.
"""

from __future__ import annotations

import io
import re
from typing import Any

import joblib
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from redchain.routing.segment import lcut

SEED = 0
TITLE_SEPARATOR = "\n"
_NOISE = re.compile(r"[A-Za-z0-9０-９Ａ-Ｚａ-ｚ]+|[\W_]+")

DEFAULT_PARAMS: dict[str, Any] = {
    "title_repeat": 2,
    "char_ngrams": (1, 2),
    "min_df": 2,
    "max_df": 0.5,
    "word_weight": 0.75,
    "C": 1.0,
    "calibration_folds": 3,
    "calibration_ensemble": False,
}


def tokenize(text: str) -> list[str]:
    """Jieba words of ``text`` (precise mode; the HMM joins unknown words, deterministically)."""
    return [word for word in lcut(text) if word.strip()]


def normalise(text: str, *, title_repeat: int = 1) -> str:
    """Strip codes, digits and punctuation; repeat the first line (the title) ``title_repeat`` times."""
    title, _, details = (text or "").partition(TITLE_SEPARATOR)
    title, details = _NOISE.sub(" ", title).strip(), _NOISE.sub(" ", details).strip()
    return " ".join([title] * title_repeat + [details]).strip()


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


def _features(params: dict[str, Any]) -> FeatureUnion:
    chars = TfidfVectorizer(
        analyzer="char",
        ngram_range=tuple(params["char_ngrams"]),
        min_df=params["min_df"],
        max_df=params["max_df"],
        preprocessor=_char_text,
    )
    words = TfidfVectorizer(
        tokenizer=tokenize,
        token_pattern=None,
        lowercase=False,
        min_df=params["min_df"],
        max_df=params["max_df"],
    )
    return FeatureUnion(
        [("chars", chars), ("words", words)],
        transformer_weights={"chars": 1.0, "words": params["word_weight"]},
    )


class TextRouter:
    """Chinese text classifier with calibrated probabilities."""

    def __init__(self, **params: Any) -> None:
        unknown = set(params) - set(DEFAULT_PARAMS)
        if unknown:
            raise TypeError(f"unknown TextRouter parameters: {', '.join(sorted(unknown))}")
        self.params: dict[str, Any] = {**DEFAULT_PARAMS, **params}
        self.classes_: list[str] = []
        self._model: Pipeline | None = None

    def _prepare(self, texts: list[str]) -> list[str]:
        return [normalise(text, title_repeat=self.params["title_repeat"]) for text in texts]

    def _classifier(self, labels: list[str]):
        svm = LinearSVC(C=self.params["C"], class_weight="balanced", random_state=SEED)
        smallest = min(labels.count(label) for label in set(labels))
        return CalibratedClassifierCV(
            svm,
            method="sigmoid",
            cv=min(self.params["calibration_folds"], smallest),
            ensemble=self.params["calibration_ensemble"],
        )

    def fit(self, texts: list[str], labels: list[str]) -> TextRouter:
        labels = [str(label) for label in labels]
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        if len(set(labels)) < 2:
            raise ValueError("at least two classes are needed to train a router")
        if min(labels.count(label) for label in set(labels)) < 2:
            raise ValueError("every class needs at least two examples")
        self._model = Pipeline(
            [("features", _features(self.params)), ("classifier", self._classifier(labels))]
        )
        self._model.fit(self._prepare(texts), labels)
        self.classes_ = [str(label) for label in self._model.classes_]
        return self

    def predict_proba(self, texts: list[str]):
        """Calibrated probabilities, one row per text, columns in the order of ``classes_``."""
        if self._model is None:
            raise RuntimeError("the router is not trained")
        return self._model.predict_proba(self._prepare(texts))

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
        joblib.dump({"params": self.params, "classes": self.classes_, "model": self._model}, buffer)
        return buffer.getvalue()

    @classmethod
    def loads(cls, data: bytes) -> TextRouter:
        """Rebuild a router from ``dumps``; only ever call this on blobs this project wrote itself."""
        state = joblib.load(io.BytesIO(data))  # noqa: S301 - our own RouterModel.blob, never user uploads
        router = cls(**state["params"])
        router.classes_, router._model = state["classes"], state["model"]
        return router
