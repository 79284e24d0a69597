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
        match *optimizer {
            Optimizer::Ftrl {
                alpha,
                beta,
                l1,
                l2,
            } => {
                let [z, n] = self.slots[slot];
                if z.abs() <= l1 {
                    0.0
                } else {
                    -(z - z.signum() * l1) / ((beta + n.sqrt()) / alpha + l2)
                }
            }
            Optimizer::AdaGrad { .. } => self.slots[slot][0],
        }
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
        let error = (p - if positive { 1.0 } else { 0.0 }) as f32;
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

/// The logistic function.
pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}
