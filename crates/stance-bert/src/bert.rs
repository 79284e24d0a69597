//! The BERT encoder of a sentence-transformers folder: embeddings, then layers of
//! self-attention and feed-forward, each followed by a residual layer norm, as Hugging Face's
//! `modeling_bert.py` computes them in evaluation mode (no dropout).
//!
//! The tokens of many sentences are packed into one matrix with no padding, so every linear
//! map is one matrix product (`matrixmultiply`) over real tokens only; attention alone is per
//! sentence, over its exact length. Each row of a product is summed in the same order
//! whatever the other rows are, so a sentence's vectors do not depend on the sentences it is
//! packed with, nor on the number of cores.

use serde::Deserialize;

use super::tensors::Tensors;

/// The activation between the two linear maps of the feed-forward block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HiddenAct {
    /// The exact GELU, `x·Φ(x)` (BERT's own).
    Gelu,
    /// The tanh approximation of GELU.
    #[serde(alias = "gelu_new", alias = "gelu_pytorch_tanh")]
    GeluApproximate,
    /// `max(0, x)`.
    Relu,
}

/// The fields of `config.json` the encoder reads; the others are ignored.
#[derive(Debug, Clone, Deserialize)]
pub struct Config {
    /// Rows of the word embedding table.
    pub vocab_size: usize,
    /// Width of every token's vector.
    pub hidden_size: usize,
    /// Number of transformer layers.
    pub num_hidden_layers: usize,
    /// Heads per self-attention; divides `hidden_size`.
    pub num_attention_heads: usize,
    /// Width of the feed-forward block's inner layer.
    pub intermediate_size: usize,
    /// The feed-forward block's activation.
    pub hidden_act: HiddenAct,
    /// Rows of the position embedding table: the longest input.
    pub max_position_embeddings: usize,
    /// Rows of the token type (segment) table.
    pub type_vocab_size: usize,
    /// The epsilon of every layer norm.
    pub layer_norm_eps: f64,
}

/// `y = x·Wᵀ + b`, with `W` kept as the checkpoint stores it, (outputs, inputs) by rows.
struct Linear {
    weight: Vec<f32>,
    bias: Vec<f32>,
    inputs: usize,
    outputs: usize,
}

impl Linear {
    fn load(t: &Tensors, name: &str, outputs: usize, inputs: usize) -> Result<Linear, String> {
        Ok(Linear {
            weight: t.get(&format!("{name}.weight"), &[outputs, inputs])?,
            bias: t.get(&format!("{name}.bias"), &[outputs])?,
            inputs,
            outputs,
        })
    }

    /// One linear map made of several stacked on their outputs (the query, key and value
    /// maps), so that one product reads the input once.
    fn stacked(parts: Vec<Linear>) -> Linear {
        let inputs = parts[0].inputs;
        let outputs = parts.iter().map(|p| p.outputs).sum();
        let mut weight = Vec::with_capacity(outputs * inputs);
        let mut bias = Vec::with_capacity(outputs);
        for part in parts {
            weight.extend_from_slice(&part.weight);
            bias.extend_from_slice(&part.bias);
        }
        Linear {
            weight,
            bias,
            inputs,
            outputs,
        }
    }

    /// `out = input·Wᵀ + b (+ residual)` for `rows` rows.
    fn apply(&self, input: &[f32], rows: usize, residual: Option<&[f32]>, out: &mut Vec<f32>) {
        let n = self.outputs;
        out.clear();
        match residual {
            Some(residual) => out.extend(
                residual[..rows * n]
                    .chunks_exact(n)
                    .flat_map(|row| row.iter().zip(&self.bias).map(|(r, b)| r + b)),
            ),
            None => {
                for _ in 0..rows {
                    out.extend_from_slice(&self.bias);
                }
            }
        }
        let k = self.inputs;
        assert!(input.len() >= rows * k, "an input row per output row");
        // SAFETY: `input` holds rows×k values by rows, `weight` n×k (read as its transpose,
        // k×n, through the strides), `out` rows×n; the three do not overlap.
        unsafe {
            matrixmultiply::sgemm(
                rows,
                k,
                n,
                1.0,
                input.as_ptr(),
                k as isize,
                1,
                self.weight.as_ptr(),
                1,
                k as isize,
                1.0,
                out.as_mut_ptr(),
                n as isize,
                1,
            );
        }
    }
}

struct Norm {
    weight: Vec<f32>,
    bias: Vec<f32>,
    eps: f32,
}

impl Norm {
    fn load(t: &Tensors, name: &str, c: &Config) -> Result<Norm, String> {
        let h = c.hidden_size;
        // Checkpoints converted from TensorFlow call them gamma and beta.
        let (weight, bias) = if t.contains(&format!("{name}.gamma")) {
            ("gamma", "beta")
        } else {
            ("weight", "bias")
        };
        Ok(Norm {
            weight: t.get(&format!("{name}.{weight}"), &[h])?,
            bias: t.get(&format!("{name}.{bias}"), &[h])?,
            eps: c.layer_norm_eps as f32,
        })
    }

    /// Normalises every row of `x` in place.
    fn apply(&self, x: &mut [f32]) {
        let h = self.weight.len();
        for row in x.chunks_exact_mut(h) {
            let mean = row.iter().sum::<f32>() / h as f32;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / h as f32;
            let scale = 1.0 / (var + self.eps).sqrt();
            for ((v, w), b) in row.iter_mut().zip(&self.weight).zip(&self.bias) {
                *v = (*v - mean) * scale * w + b;
            }
        }
    }
}

struct Layer {
    /// Query, key and value, stacked: (3·hidden, hidden).
    qkv: Linear,
    attention_out: Linear,
    attention_norm: Norm,
    intermediate: Linear,
    output: Linear,
    output_norm: Norm,
}

/// The buffers of one forward pass, kept from call to call by its thread.
#[derive(Default)]
pub struct Scratch {
    x: Vec<f32>,
    qkv: Vec<f32>,
    context: Vec<f32>,
    attended: Vec<f32>,
    inner: Vec<f32>,
    scores: Vec<f32>,
}

/// A loaded BERT: token ids in, one vector per token out.
pub struct Bert {
    words: Vec<f32>,
    positions: Vec<f32>,
    /// Row 0 of the token type table: every token is of segment 0.
    segment: Vec<f32>,
    embedding_norm: Norm,
    layers: Vec<Layer>,
    hidden: usize,
    heads: usize,
    act: HiddenAct,
    vocab: usize,
    max_positions: usize,
}

impl Layer {
    fn load(t: &Tensors, p: &str, c: &Config) -> Result<Layer, String> {
        let (h, i) = (c.hidden_size, c.intermediate_size);
        let own = |m: &str| Linear::load(t, &format!("{p}.attention.self.{m}"), h, h);
        Ok(Layer {
            qkv: Linear::stacked(vec![own("query")?, own("key")?, own("value")?]),
            attention_out: Linear::load(t, &format!("{p}.attention.output.dense"), h, h)?,
            attention_norm: Norm::load(t, &format!("{p}.attention.output.LayerNorm"), c)?,
            intermediate: Linear::load(t, &format!("{p}.intermediate.dense"), i, h)?,
            output: Linear::load(t, &format!("{p}.output.dense"), h, i)?,
            output_norm: Norm::load(t, &format!("{p}.output.LayerNorm"), c)?,
        })
    }

    /// `s.x` holds the packed tokens of sentences of the lengths `lengths`; leaves the
    /// layer's output there.
    fn forward(&self, s: &mut Scratch, lengths: &[usize], heads: usize, act: HiddenAct) {
        let hidden = self.attention_out.outputs;
        let rows: usize = lengths.iter().sum();
        self.qkv.apply(&s.x, rows, None, &mut s.qkv);
        attend(s, lengths, hidden, heads);
        self.attention_out
            .apply(&s.context, rows, Some(&s.x), &mut s.attended);
        self.attention_norm.apply(&mut s.attended);
        self.intermediate
            .apply(&s.attended, rows, None, &mut s.inner);
        activate(&mut s.inner, act);
        self.output
            .apply(&s.inner, rows, Some(&s.attended), &mut s.x);
        self.output_norm.apply(&mut s.x);
    }
}

/// Self-attention of every sentence over its own tokens, from `s.qkv` into `s.context`.
fn attend(s: &mut Scratch, lengths: &[usize], hidden: usize, heads: usize) {
    let size = hidden / heads;
    let stride = 3 * hidden;
    let rows: usize = lengths.iter().sum();
    s.context.clear();
    s.context.resize(rows * hidden, 0.0);
    let scale = 1.0 / (size as f32).sqrt();
    let mut start = 0;
    for &len in lengths {
        if len == 0 {
            continue;
        }
        s.scores.clear();
        s.scores.resize(len * len, 0.0);
        for head in 0..heads {
            let q = &s.qkv[start * stride + head * size..];
            let k = &q[hidden..];
            let v = &q[2 * hidden..];
            assert!(v.len() >= (len - 1) * stride + size, "the sentence's rows");
            // SAFETY: q, k and v are len×size matrices with a row stride of 3·hidden inside
            // `qkv` (checked above); the scores are len×len; the context is len×size at the
            // head's columns of rows of `hidden`, inside `context`, which overlaps neither.
            unsafe {
                matrixmultiply::sgemm(
                    len,
                    size,
                    len,
                    scale,
                    q.as_ptr(),
                    stride as isize,
                    1,
                    k.as_ptr(),
                    1,
                    stride as isize,
                    0.0,
                    s.scores.as_mut_ptr(),
                    len as isize,
                    1,
                );
            }
            for row in s.scores.chunks_exact_mut(len) {
                let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
                let mut sum = 0.0;
                for p in row.iter_mut() {
                    *p = (*p - max).exp();
                    sum += *p;
                }
                for p in row.iter_mut() {
                    *p /= sum;
                }
            }
            let context = &mut s.context[start * hidden + head * size..];
            assert!(
                context.len() >= (len - 1) * hidden + size,
                "the context's rows"
            );
            // SAFETY: as above.
            unsafe {
                matrixmultiply::sgemm(
                    len,
                    len,
                    size,
                    1.0,
                    s.scores.as_ptr(),
                    len as isize,
                    1,
                    v.as_ptr(),
                    stride as isize,
                    1,
                    0.0,
                    context.as_mut_ptr(),
                    hidden as isize,
                    1,
                );
            }
        }
        start += len;
    }
}

/// The error function as a rational function of degree 13 over 8 on [-4, 4] (the
/// coefficients of Eigen's and XLA's single-precision `erf`), within 1e-6 of `libm::erff`
/// (checked below). No call and no branch, so the compiler vectorises the GELU loop: through
/// `libm::erff` GELU took 17 % of the encoder's time.
fn erf(x: f32) -> f32 {
    let x = x.clamp(-4.0, 4.0);
    let x2 = x * x;
    let mut p = x2 * -2.726_142_3e-10 + 2.770_681_4e-8;
    p = x2 * p + -2.101_024e-6;
    p = x2 * p + -5.692_506_4e-5;
    p = x2 * p + -7.349_906_3e-4;
    p = x2 * p + -2.954_600_1e-3;
    p = x2 * p + -1.609_603_3e-2;
    let mut q = x2 * -1.456_607_2e-5 + -2.133_740_6e-4;
    q = x2 * q + -1.682_827e-3;
    q = x2 * q + -7.373_329_2e-3;
    q = x2 * q + -1.426_473_9e-2;
    x * p / q
}

fn activate(x: &mut [f32], act: HiddenAct) {
    match act {
        HiddenAct::Gelu => {
            for v in x {
                *v = 0.5 * *v * (1.0 + erf(*v * std::f32::consts::FRAC_1_SQRT_2));
            }
        }
        HiddenAct::GeluApproximate => {
            const C: f32 = 0.797_884_6; // √(2/π)
            for v in x {
                let u = C * (*v + 0.044_715 * *v * *v * *v);
                *v = 0.5 * *v * (1.0 + u.tanh());
            }
        }
        HiddenAct::Relu => {
            for v in x {
                *v = v.max(0.0);
            }
        }
    }
}

impl Bert {
    /// Reads the weights under `embeddings.` and `encoder.` (or under `bert.`, as a
    /// checkpoint saved with a task head has them).
    pub fn load(t: &Tensors, c: &Config) -> Result<Bert, String> {
        let p = if t.contains("bert.embeddings.word_embeddings.weight") {
            "bert."
        } else {
            ""
        };
        let h = c.hidden_size;
        let layers = (0..c.num_hidden_layers)
            .map(|i| Layer::load(t, &format!("{p}encoder.layer.{i}"), c))
            .collect::<Result<Vec<_>, String>>()?;
        let e = format!("{p}embeddings");
        let mut segment = t.get(
            &format!("{e}.token_type_embeddings.weight"),
            &[c.type_vocab_size, h],
        )?;
        segment.truncate(h);
        Ok(Bert {
            words: t.get(&format!("{e}.word_embeddings.weight"), &[c.vocab_size, h])?,
            positions: t.get(
                &format!("{e}.position_embeddings.weight"),
                &[c.max_position_embeddings, h],
            )?,
            segment,
            embedding_norm: Norm::load(t, &format!("{e}.LayerNorm"), c)?,
            layers,
            hidden: h,
            heads: c.num_attention_heads,
            act: c.hidden_act,
            vocab: c.vocab_size,
            max_positions: c.max_position_embeddings,
        })
    }

    /// The last layer's vectors of every token of `sentences` (token ids, each at most
    /// `max_position_embeddings` long), packed by rows in order: (total tokens, hidden).
    pub fn forward<'s>(&self, sentences: &[&[u32]], s: &'s mut Scratch) -> &'s [f32] {
        let h = self.hidden;
        s.x.clear();
        for ids in sentences {
            assert!(
                ids.len() <= self.max_positions,
                "truncated to the positions"
            );
            for (position, &id) in ids.iter().enumerate() {
                // An id past the table (a tokenizer of another vocabulary) reads the last
                // row rather than panicking; the folder's files are checked together at load.
                let id = (id as usize).min(self.vocab - 1);
                let word = &self.words[id * h..(id + 1) * h];
                let place = &self.positions[position * h..(position + 1) * h];
                s.x.extend(
                    word.iter()
                        .zip(place)
                        .zip(&self.segment)
                        .map(|((w, p), t)| w + t + p),
                );
            }
        }
        self.embedding_norm.apply(&mut s.x);
        let lengths: Vec<usize> = sentences.iter().map(|ids| ids.len()).collect();
        for layer in &self.layers {
            layer.forward(s, &lengths, self.heads, self.act);
        }
        &s.x
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_linear_map_adds_its_bias_and_the_residual() {
        let map = Linear {
            weight: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            bias: vec![0.5, -0.5],
            inputs: 3,
            outputs: 2,
        };
        let mut out = Vec::new();
        map.apply(&[1.0, 0.0, -1.0, 2.0, 1.0, 0.0], 2, None, &mut out);
        assert_eq!(out, [-1.5, -2.5, 4.5, 12.5]);
        map.apply(&[1.0, 0.0, -1.0], 1, Some(&[10.0, 20.0]), &mut out);
        assert_eq!(out, [8.5, 17.5]);
    }

    #[test]
    fn a_layer_norm_gives_each_row_mean_zero_and_unit_variance() {
        let norm = Norm {
            weight: vec![1.0; 4],
            bias: vec![0.0; 4],
            eps: 0.0,
        };
        let mut x = vec![1.0, 2.0, 3.0, 4.0, -2.0, 0.0, 0.0, 2.0];
        norm.apply(&mut x);
        for row in x.chunks(4) {
            let mean: f32 = row.iter().sum::<f32>() / 4.0;
            let var: f32 = row.iter().map(|v| v * v).sum::<f32>() / 4.0;
            assert!(mean.abs() < 1e-6 && (var - 1.0).abs() < 1e-5, "{row:?}");
        }
    }

    #[test]
    fn erf_is_within_a_millionth_of_libms() {
        let mut worst = 0f32;
        for i in -600_000..=600_000 {
            let x = i as f32 * 1e-5;
            worst = worst.max((erf(x) - libm::erff(x)).abs());
        }
        assert!(worst < 1e-6, "largest difference {worst}");
    }

    #[test]
    fn gelu_is_x_times_the_normal_cdf() {
        let mut x = vec![-1.0, 0.0, 1.0, 3.0];
        activate(&mut x, HiddenAct::Gelu);
        // Φ(1) = 0.841344746…, Φ(3) = 0.998650102…
        let want = [-0.158_655_25, 0.0, 0.841_344_7, 2.995_950_3];
        for (got, want) in x.iter().zip(want) {
            assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        }
    }

    #[test]
    fn tensors_errors_name_the_tensor() {
        let t = Tensors::empty();
        let err = Linear::load(&t, "encoder.layer.0.output.dense", 2, 3)
            .err()
            .expect("missing");
        assert!(err.contains("encoder.layer.0.output.dense.weight"), "{err}");
    }
}
