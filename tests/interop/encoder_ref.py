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

    def hidden(self, ids):
        """The last hidden states of one unpadded sentence (so the mask is all ones)."""
        w, n = self.w, len(ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self.layer_norm(x, "embeddings.LayerNorm")
        heads = self.config["num_attention_heads"]
        size = self.config["hidden_size"] // heads
        for layer in range(self.config["num_hidden_layers"]):
            p = f"encoder.layer.{layer}"
            q, k, v = (
                self.linear(x, f"{p}.attention.self.{name}").reshape(n, heads, size).transpose(1, 0, 2)
                for name in ("query", "key", "value")
            )
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, heads * size)
            x = self.layer_norm(self.linear(context, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm")
            inner = self.linear(x, f"{p}.intermediate.dense")
            inner = 0.5 * inner * (1.0 + erf(inner / np.sqrt(2.0)))
            x = self.layer_norm(self.linear(inner, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
        return x

    def embed(self, text):
        ids = self.tokenizer.encode(text).ids
        mean = self.hidden(np.array(ids)).mean(0)
        return mean / max(np.linalg.norm(mean), 1e-12)


if __name__ == "__main__":
    import sys

    ref = Reference(sys.argv[1])
    e = [ref.embed(t) for t in ("The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium.")]
    print(f"{e[0] @ e[1]:.4f} {e[0] @ e[2]:.4f} {e[1] @ e[2]:.4f}")
