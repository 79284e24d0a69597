#!/usr/bin/env python3
"""An independent reference of the sentence encoder: BERT in numpy (float64), read from a
sentence-transformers folder with the `tokenizers` and `safetensors` packages, mean pooling
over the attention mask, L2 normalisation, truncation at `max_seq_length`.

It follows transformers' BertModel and sentence-transformers' Transformer, Pooling and
Normalize modules operation for operation; it is used instead of sentence-transformers
itself because that pulls in torch (gigabytes with its CUDA wheels).
"""

import json
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Tokenizer


class Reference:
    def __init__(self, folder):
        folder = Path(folder)
        self.config = json.loads((folder / "config.json").read_text())
        sbert = json.loads((folder / "sentence_bert_config.json").read_text())
        self.max_len = min(sbert["max_seq_length"], self.config["max_position_embeddings"])
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=self.max_len)
        raw = load_file(str(folder / "model.safetensors"))
        self.w = {k.removeprefix("bert."): v.astype(np.float64) for k, v in raw.items()}
        self.eps = self.config["layer_norm_eps"]

    def layer_norm(self, x, prefix):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[prefix + ".weight"] + self.w[prefix + ".bias"]

    def linear(self, x, prefix):
        return x @ self.w[prefix + ".weight"].T + self.w[prefix + ".bias"]

    def hidden(self, sentences):
        """The last hidden states of unpadded sentences (so each mask is all ones), one row per
        token, the sentences' tokens one after another. Everything but attention works token by
        token, so it runs on all the tokens at once (larger matrix products, the same values);
        attention runs sentence by sentence."""
        w = self.w
        lengths = [len(ids) for ids in sentences]
        ids = np.concatenate(sentences)
        positions = np.concatenate([np.arange(n) for n in lengths])
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self.layer_norm(x, "embeddings.LayerNorm")
        heads = self.config["num_attention_heads"]
        size = self.config["hidden_size"] // heads
        starts = np.cumsum([0] + lengths[:-1])
        for layer in range(self.config["num_hidden_layers"]):
            p = f"encoder.layer.{layer}"
            q, k, v = (self.linear(x, f"{p}.attention.self.{name}") for name in ("query", "key", "value"))
            context = np.empty_like(x)
            for start, n in zip(starts, lengths):
                q_, k_, v_ = (m[start : start + n].reshape(n, heads, size).transpose(1, 0, 2) for m in (q, k, v))
                scores = q_ @ k_.transpose(0, 2, 1) / np.sqrt(size)
                scores = np.exp(scores - scores.max(-1, keepdims=True))
                scores /= scores.sum(-1, keepdims=True)
                context[start : start + n] = (scores @ v_).transpose(1, 0, 2).reshape(n, heads * size)
            x = self.layer_norm(self.linear(context, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm")
            inner = self.linear(x, f"{p}.intermediate.dense")
            inner = 0.5 * inner * (1.0 + erf(inner / np.sqrt(2.0)))
            x = self.layer_norm(self.linear(inner, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
        return x, starts, lengths

    def embed_all(self, texts, batch=64):
        """The embeddings of `texts`, `batch` sentences to a pass."""
        out = []
        for at in range(0, len(texts), batch):
            sentences = [np.array(e.ids) for e in self.tokenizer.encode_batch(texts[at : at + batch])]
            x, starts, lengths = self.hidden(sentences)
            mean = np.add.reduceat(x, starts, axis=0) / np.array(lengths)[:, None]
            out.extend(mean / np.maximum(np.linalg.norm(mean, axis=1, keepdims=True), 1e-12))
        return out

    def embed(self, text):
        return self.embed_all([text])[0]


if __name__ == "__main__":
    import sys

    ref = Reference(sys.argv[1])
    e = [ref.embed(t) for t in ("The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium.")]
    print(f"{e[0] @ e[1]:.4f} {e[0] @ e[2]:.4f} {e[1] @ e[2]:.4f}")
