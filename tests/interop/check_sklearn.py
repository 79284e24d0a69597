"""scikit-learn trains on the csv export's train split and predicts its test split."""

import sys
from pathlib import Path

import pandas as pd
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import make_pipeline

from common import LABELS, check

work = Path(sys.argv[1])
table = pd.read_csv(work / "export.csv", keep_default_na=False)
train, test = table[table["split"] == "train"], table[table["split"] != "train"]
check(len(train) > 0 and len(test) > 0, "both parts have rows")
check(not set(train["article_id"]) & set(test["article_id"]), "an article is in two splits")

model = make_pipeline(TfidfVectorizer(), OneVsRestClassifier(LogisticRegression(max_iter=1000)))
model.fit(train["text"], train[LABELS].to_numpy())
predicted = model.predict(test["text"])
check(predicted.shape == (len(test), len(LABELS)), f"prediction shape {predicted.shape}")
score = f1_score(test[LABELS].to_numpy(), predicted, average="micro")
# The sentences come from templates of a known stance: a working pipeline learns them.
check(score > 0.8, f"micro F1 {score:.3f}")
print(f"scikit-learn {sklearn.__version__}: trained on {len(train)}, "
      f"micro F1 {score:.3f} on {len(test)}")
