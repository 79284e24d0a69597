//! The weights of `model.safetensors`, read through the `safetensors` crate and widened to
//! `f32`, checked by name and shape as they are taken.

use safetensors::{Dtype, SafeTensors};

/// The tensors of one safetensors file, still in the file's bytes.
pub struct Tensors<'b> {
    file: Option<SafeTensors<'b>>,
}

impl<'b> Tensors<'b> {
    /// Parses the header of `bytes`; an error says what is wrong with the file.
    pub fn parse(bytes: &'b [u8]) -> Result<Tensors<'b>, String> {
        let file = SafeTensors::deserialize(bytes).map_err(|e| e.to_string())?;
        Ok(Tensors { file: Some(file) })
    }

    /// A file with no tensors.
    pub fn empty() -> Tensors<'static> {
        Tensors { file: None }
    }

    /// Whether the file has a tensor of that name.
    pub fn contains(&self, name: &str) -> bool {
        self.file.as_ref().is_some_and(|f| f.tensor(name).is_ok())
    }

    /// The values of tensor `name` by rows, which must be of `shape`; f16 and bf16 widen.
    pub fn get(&self, name: &str, shape: &[usize]) -> Result<Vec<f32>, String> {
        let view = self
            .file
            .as_ref()
            .and_then(|f| f.tensor(name).ok())
            .ok_or_else(|| format!("tensor {name} is missing"))?;
        if view.shape() != shape {
            return Err(format!(
                "tensor {name} has shape {:?} where config.json gives {shape:?}",
                view.shape()
            ));
        }
        let data = view.data();
        let values = match view.dtype() {
            Dtype::F32 => data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
            Dtype::BF16 => data
                .chunks_exact(2)
                .map(|b| f32::from_bits(u32::from(u16::from_le_bytes([b[0], b[1]])) << 16))
                .collect(),
            Dtype::F16 => data
                .chunks_exact(2)
                .map(|b| f16_to_f32(u16::from_le_bytes([b[0], b[1]])))
                .collect(),
            other => {
                return Err(format!(
                    "tensor {name} is of type {other:?}: stance reads F32, F16 and BF16"
                ));
            }
        };
        Ok(values)
    }
}

/// IEEE half precision to single, subnormals, infinities and NaN included.
fn f16_to_f32(h: u16) -> f32 {
    let sign = u32::from(h >> 15) << 31;
    let exponent = u32::from((h >> 10) & 0x1f);
    let mantissa = u32::from(h & 0x3ff);
    let bits = match (exponent, mantissa) {
        (0, 0) => sign,
        (0, m) => {
            // Subnormal: m·2⁻²⁴, exact in f32.
            let value = m as f32 * f32::from_bits(0x3380_0000);
            return if sign == 0 { value } else { -value };
        }
        (0x1f, m) => sign | 0x7f80_0000 | (m << 13),
        (e, m) => sign | ((e + 112) << 23) | (m << 13),
    };
    f32::from_bits(bits)
}

#[cfg(test)]
mod tests {
    use super::f16_to_f32;

    #[test]
    fn half_precision_widens_exactly() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x7bff), 65504.0);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x7c00), f32::INFINITY);
        assert!(f16_to_f32(0x7e00).is_nan());
    }
}
