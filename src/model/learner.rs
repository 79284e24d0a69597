//! Online logistic regression over sparse features, one weight table per label: FTRL-Proximal
//! (McMahan et al., 2013) or AdaGrad, both per-coordinate, both deterministic (a fixed order
//! of float operations and no threads).

use super::encoder::Feature;

/// The update rule and its settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Optimizer {
    /// FTRL-Proximal: per-coordinate rates `alpha / (beta + sqrt(n))`, L1 and L2 shrinkage.
    Ftrl {
        /// Learning rate scale.
        alpha: f32,
        /// Rate smoothing.
        beta: f32,
        /// L1 strength (sets rare weights to exactly zero).
        l1: f32,
        /// L2 strength.
        l2: f32,
    },
    /// AdaGrad: per-coordinate rates `rate / sqrt(sum of squared gradients)`, L2 decay.
    AdaGrad {
        /// Learning rate scale.
        rate: f32,
        /// L2 strength.
        l2: f32,
    },
}

/// One label's weights: two numbers per slot (FTRL's `z` and `n`; AdaGrad's weight and
/// squared-gradient sum), side by side so that an update reads one cache line per feature.
#[derive(Debug, Clone)]
pub struct Weights {
    slots: Vec<[f32; 2]>,
}

impl Weights {
    /// Zero weights for `dimension` slots.
    pub fn new(dimension: usize) -> Weights {
        Weights {
            slots: vec![[0.0; 2]; dimension],
        }
    }

    /// Bytes held, for the memory bound.
    pub fn bytes(&self) -> usize {
        self.slots.len() * std::mem::size_of::<[f32; 2]>()
    }

    fn weight(&self, optimizer: &Optimizer, slot: usize) -> f32 {
        slot_weight(optimizer, self.slots[slot])
    }

    /// The log-odds of the label for these features.
    pub fn logit(&self, optimizer: &Optimizer, features: &[Feature]) -> f64 {
        features
            .iter()
            .map(|f| f64::from(self.weight(optimizer, f.index as usize) * f.value))
            .sum()
    }

    /// One step of logistic loss towards `positive`.
    pub fn update(&mut self, optimizer: &Optimizer, features: &[Feature], positive: bool) {
        let p = sigmoid(self.logit(optimizer, features));
        let error = flush((p - if positive { 1.0 } else { 0.0 }) as f32);
        match *optimizer {
            Optimizer::Ftrl { alpha, .. } => {
                for f in features {
                    let slot = f.index as usize;
                    let g = error * f.value;
                    let w = self.weight(optimizer, slot);
                    let [z, n] = &mut self.slots[slot];
                    let sigma = ((*n + g * g).sqrt() - n.sqrt()) / alpha;
                    *z += g - sigma * w;
                    *n += g * g;
                }
            }
            Optimizer::AdaGrad { rate, l2 } => {
                for f in features {
                    let [w, sum] = &mut self.slots[f.index as usize];
                    let g = error * f.value + l2 * *w;
                    *sum += g * g;
                    *w -= rate * g / (sum.sqrt() + 1e-6);
                }
            }
        }
    }
}

/// The weights of every label of a model in one table, a slot's labels side by side (each
/// with the two numbers of [`Weights`]), so that one feature's weights for all labels share
/// a cache line. Each label's arithmetic is that of [`Weights`], in the same order, so the
/// results are the same to the last bit.
#[derive(Debug, Clone)]
pub struct Table {
    labels: usize,
    slots: Vec<[f32; 2]>,
}

impl Table {
    /// Zero weights for `labels` labels over `dimension` slots.
    pub fn new(labels: usize, dimension: usize) -> Table {
        Table {
            labels,
            slots: vec![[0.0; 2]; labels * dimension],
        }
    }

    /// Bytes held, for the memory bound.
    pub fn bytes(&self) -> usize {
        self.slots.len() * std::mem::size_of::<[f32; 2]>()
    }

    /// The log-odds of every label for these features, into `out` (one per label).
    pub fn logits(&self, optimizer: &Optimizer, features: &[Feature], out: &mut [f64]) {
        let n = self.labels;
        let out = &mut out[..n];
        // -0.0 is where `Sum` starts, so a sum of zeros keeps the sign `Weights` gives it.
        out.fill(-0.0);
        match *optimizer {
            Optimizer::AdaGrad { .. } => match n {
                1 => adagrad_logits::<1>(&self.slots, features, out),
                2 => adagrad_logits::<2>(&self.slots, features, out),
                3 => adagrad_logits::<3>(&self.slots, features, out),
                4 => adagrad_logits::<4>(&self.slots, features, out),
                _ => {
                    for f in features {
                        let at = f.index as usize * n;
                        for (sum, slot) in out.iter_mut().zip(&self.slots[at..at + n]) {
                            *sum += f64::from(slot[0] * f.value);
                        }
                    }
                }
            },
            Optimizer::Ftrl { .. } => {
                for f in features {
                    let at = f.index as usize * n;
                    for (sum, slot) in out.iter_mut().zip(&self.slots[at..at + n]) {
                        *sum += f64::from(slot_weight(optimizer, *slot) * f.value);
                    }
                }
            }
        }
    }

    /// Adds the weight of `slot` for every label to `sums` (one per label), each as an
    /// `f64`: the one read of weights that scoring word by word ([`super::score`]) makes.
    #[inline]
    pub fn add_weights(&self, optimizer: &Optimizer, slot: u32, sums: &mut [f64]) {
        let n = self.labels;
        let at = slot as usize * n;
        for (sum, weights) in sums[..n].iter_mut().zip(&self.slots[at..at + n]) {
            *sum += f64::from(slot_weight(optimizer, *weights));
        }
    }

    /// Asks the processor to fetch the weights of `slot` into its cache, for an
    /// [`Table::add_weights`] of it soon after; it changes nothing else.
    #[inline]
    pub fn prefetch(&self, slot: u32) {
        #[cfg(target_arch = "x86_64")]
        if let Some(weights) = self.slots.get(slot as usize * self.labels) {
            use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
            // SAFETY: SSE is part of every x86_64 processor, and a prefetch reads nothing
            // a program sees, from an address inside the table.
            unsafe { _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(weights).cast::<i8>()) };
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = slot;
    }

    /// One step of logistic loss for every label, towards positive where `positive` says;
    /// `logits` is scratch space of one number per label.
    pub fn update(
        &mut self,
        optimizer: &Optimizer,
        features: &[Feature],
        positive: impl Fn(usize) -> bool,
        logits: &mut [f64],
    ) {
        let n = self.labels;
        self.logits(optimizer, features, logits);
        let mut errors = [0.0f32; 8];
        let mut heap = Vec::new();
        let errors: &mut [f32] = if n <= errors.len() {
            &mut errors[..n]
        } else {
            heap.resize(n, 0.0);
            &mut heap
        };
        for (label, (error, &logit)) in errors.iter_mut().zip(logits.iter()).enumerate() {
            *error = flush((sigmoid(logit) - if positive(label) { 1.0 } else { 0.0 }) as f32);
        }
        match *optimizer {
            Optimizer::Ftrl { alpha, .. } => {
                for f in features {
                    let at = f.index as usize * n;
                    for (slot, &error) in self.slots[at..at + n].iter_mut().zip(errors.iter()) {
                        let g = error * f.value;
                        let w = slot_weight(optimizer, *slot);
                        let [z, squares] = slot;
                        let sigma = ((*squares + g * g).sqrt() - squares.sqrt()) / alpha;
                        *z += g - sigma * w;
                        *squares += g * g;
                    }
                }
            }
            Optimizer::AdaGrad { rate, l2 } => {
                if l2 == 0.0 && errors.iter().all(|&error| error == 0.0) {
                    // Nothing would move: see `adagrad_update`.
                    return;
                }
                let slots = &mut self.slots;
                match n {
                    1 => adagrad_update::<1>(slots, features, errors, rate, l2),
                    2 => adagrad_lanes::<2>(slots, features, errors, rate, l2),
                    3 => adagrad_lanes::<3>(slots, features, errors, rate, l2),
                    4 => adagrad_lanes::<4>(slots, features, errors, rate, l2),
                    _ => {
                        for f in features {
                            let at = f.index as usize * n;
                            for (slot, &error) in slots[at..at + n].iter_mut().zip(errors.iter()) {
                                adagrad_step(slot, error * f.value, rate, l2);
                            }
                        }
                    }
                }
            }
        }
    }
}

/// AdaGrad's step on one slot `[w, sum]` for the loss gradient `gradient`.
#[inline(always)]
fn adagrad_step(slot: &mut [f32; 2], gradient: f32, rate: f32, l2: f32) {
    let [w, sum] = slot;
    let g = gradient + l2 * *w;
    *sum += g * g;
    *w -= rate * g / (sum.sqrt() + 1e-6);
}

/// [`Table::logits`] for AdaGrad and `N` labels, known when compiled so the labels' loop
/// unrolls.
fn adagrad_logits<const N: usize>(slots: &[[f32; 2]], features: &[Feature], out: &mut [f64]) {
    let mut sums = [-0.0f64; N];
    for f in features {
        let at = f.index as usize * N;
        let row: &[[f32; 2]; N] = slots[at..at + N].try_into().expect("N slots");
        for (sum, slot) in sums.iter_mut().zip(row) {
            *sum += f64::from(slot[0] * f.value);
        }
    }
    out[..N].copy_from_slice(&sums);
}

/// [`Table::update`] for AdaGrad and `N` labels, known when compiled.
///
/// A step whose errors are all 0 with no L2 decay changes nothing, so [`Table::update`]
/// skips it: its gradients are then 0, so it adds 0 to each sum of squares and subtracts a
/// 0 from each weight, which leaves both as they were (neither is ever -0: both start at
/// +0, and a difference or sum of floats is -0 only when its first term already is).
fn adagrad_update<const N: usize>(
    slots: &mut [[f32; 2]],
    features: &[Feature],
    errors: &[f32],
    rate: f32,
    l2: f32,
) {
    let errors: [f32; N] = errors[..N].try_into().expect("N errors");
    for f in features {
        let at = f.index as usize * N;
        let row: &mut [[f32; 2]; N] = (&mut slots[at..at + N]).try_into().expect("N slots");
        for (slot, &error) in row.iter_mut().zip(&errors) {
            adagrad_step(slot, error * f.value, rate, l2);
        }
    }
}

/// [`adagrad_update`] for 2 to 4 labels with one feature's labels side by side in the
/// lanes of one SSE register: one square root and one division per feature instead of one
/// per label, the bulk of a step's work. SSE's square root and division round exactly as
/// the scalar ones do, lane by lane, so every weight gets the same bits.
#[cfg(target_arch = "x86_64")]
fn adagrad_lanes<const N: usize>(
    slots: &mut [[f32; 2]],
    features: &[Feature],
    errors: &[f32],
    rate: f32,
    l2: f32,
) {
    use std::arch::x86_64::{
        _mm_add_ps, _mm_div_ps, _mm_loadu_ps, _mm_mul_ps, _mm_set1_ps, _mm_sqrt_ps, _mm_storeu_ps,
    };
    const { assert!(N >= 1 && N <= 4) };
    let mut lane_errors = [0.0f32; 4];
    lane_errors[..N].copy_from_slice(&errors[..N]);
    for f in features {
        let at = f.index as usize * N;
        let row: &mut [[f32; 2]; N] = (&mut slots[at..at + N]).try_into().expect("N slots");
        // Unused lanes hold zeros: their step is 0 / (0 + 1e-6), finite, and never stored.
        let mut gradients = [0.0f32; 4];
        let mut sums = [0.0f32; 4];
        for (label, slot) in row.iter_mut().enumerate() {
            let [w, sum] = slot;
            let g = lane_errors[label] * f.value + l2 * *w;
            *sum += g * g;
            gradients[label] = g;
            sums[label] = *sum;
        }
        let mut steps = [0.0f32; 4];
        // SAFETY: SSE is part of every x86_64 processor, and the loads and the store read
        // and write four floats of arrays of four.
        unsafe {
            let rate_times_g = _mm_mul_ps(_mm_set1_ps(rate), _mm_loadu_ps(gradients.as_ptr()));
            let root = _mm_add_ps(_mm_sqrt_ps(_mm_loadu_ps(sums.as_ptr())), _mm_set1_ps(1e-6));
            _mm_storeu_ps(steps.as_mut_ptr(), _mm_div_ps(rate_times_g, root));
        }
        for (slot, step) in row.iter_mut().zip(steps) {
            slot[0] -= step;
        }
    }
}

/// Elsewhere, [`adagrad_update`] itself.
#[cfg(not(target_arch = "x86_64"))]
fn adagrad_lanes<const N: usize>(
    slots: &mut [[f32; 2]],
    features: &[Feature],
    errors: &[f32],
    rate: f32,
    l2: f32,
) {
    adagrad_update::<N>(slots, features, errors, rate, l2);
}

/// The weight of a slot: from its `[z, n]` for FTRL-Proximal, its first value for AdaGrad.
fn slot_weight(optimizer: &Optimizer, [z, n]: [f32; 2]) -> f32 {
    match *optimizer {
        Optimizer::Ftrl {
            alpha,
            beta,
            l1,
            l2,
        } => {
            if z.abs() <= l1 {
                0.0
            } else {
                -(z - z.signum() * l1) / ((beta + n.sqrt()) / alpha + l2)
            }
        }
        Optimizer::AdaGrad { .. } => z,
    }
}

/// Errors of a label's prediction below this are taken as 0.
pub const TINY_ERROR: f32 = 1e-15;

/// `error`, or 0 when it is below [`TINY_ERROR`]: such an error moves no weight by a
/// visible amount, but its gradients' squares are subnormal floats, which the processor
/// handles many times slower (a sentence learned over and over took 112 µs a step).
fn flush(error: f32) -> f32 {
    if error.abs() < TINY_ERROR { 0.0 } else { error }
}

/// The logistic function.
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sentences [`same_as_weights`] learns from.
    #[derive(Clone, Copy, PartialEq)]
    enum Stream {
        /// Random features, each slot once per sentence, random labels.
        Distinct,
        /// The same, but a slot may come twice in a sentence, in any order.
        Repeats,
        /// Large feature values and each label always the same answer, so that the errors
        /// soon round to 0.
        Confident,
    }

    /// A table of `labels` labels must learn exactly what as many [`Weights`] learn; returns
    /// the largest log-odds seen.
    fn same_as_weights(optimizer: Optimizer, labels: usize, stream: Stream) -> f64 {
        let dimension = 64;
        let mut table = Table::new(labels, dimension);
        let mut apart: Vec<Weights> = (0..labels).map(|_| Weights::new(dimension)).collect();
        let mut logits = vec![0.0; labels];
        let mut state = 1u64;
        let mut largest = 0.0f64;
        let scale = if stream == Stream::Confident {
            20.0
        } else {
            1.0
        };
        for step in 0..300 {
            let mut features: Vec<Feature> = (0..20)
                .map(|_| {
                    state = crate::hash::fmix64(state.wrapping_add(step));
                    Feature {
                        index: (state % dimension as u64) as u32,
                        value: scale * (state >> 40) as f32 / (1u64 << 24) as f32,
                    }
                })
                .collect();
            if stream != Stream::Repeats {
                features.sort_by_key(|f| f.index);
                features.dedup_by_key(|f| f.index);
            }
            let positive = |label: usize| match stream {
                Stream::Confident => label.is_multiple_of(2),
                _ => (step as usize + label).is_multiple_of(3),
            };
            table.update(&optimizer, &features, positive, &mut logits);
            for (label, weights) in apart.iter_mut().enumerate() {
                weights.update(&optimizer, &features, positive(label));
            }
            table.logits(&optimizer, &features, &mut logits);
            for (label, weights) in apart.iter().enumerate() {
                let alone = weights.logit(&optimizer, &features);
                assert_eq!(logits[label].to_bits(), alone.to_bits(), "step {step}");
                largest = largest.max(alone.abs());
            }
        }
        largest
    }

    #[test]
    fn a_table_learns_what_weights_apart_learn_to_the_last_bit() {
        let ftrl = Optimizer::Ftrl {
            alpha: 0.1,
            beta: 1.0,
            l1: 0.01,
            l2: 0.1,
        };
        let optimizers = [
            Optimizer::AdaGrad { rate: 0.5, l2: 0.0 },
            Optimizer::AdaGrad {
                rate: 0.3,
                l2: 1e-4,
            },
            ftrl,
        ];
        for labels in [1, 3, 4, 6, 9] {
            for optimizer in optimizers {
                for stream in [Stream::Distinct, Stream::Repeats, Stream::Confident] {
                    same_as_weights(optimizer, labels, stream);
                }
            }
        }
    }

    #[test]
    fn steps_whose_errors_round_to_zero_are_skipped_without_changing_a_bit() {
        let adagrad = Optimizer::AdaGrad { rate: 0.5, l2: 0.0 };
        for labels in [1, 3, 4] {
            let largest = same_as_weights(adagrad, labels, Stream::Confident);
            // Beyond 40 log-odds the logistic function rounds to 0 or 1 in the error.
            assert!(largest > 40.0, "{labels} labels: log-odds {largest}");
        }
    }
}
