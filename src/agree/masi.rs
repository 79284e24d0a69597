//! The MASI distance between two label sets (Passonneau 2006), with the exact monotonicity
//! weights 1, 2/3, 1/3 and 0.

/// 1 − Jaccard × weight for two sorted, duplicate-free label lists: weight 1 for equal sets,
/// 2/3 when one is a subset of the other, 1/3 when they overlap otherwise, 0 when disjoint.
/// Two empty sets are at distance 0.
pub fn masi_distance(a: &[u32], b: &[u32]) -> f64 {
    let common = intersection_len(a, b);
    let union = a.len() + b.len() - common;
    if union == 0 {
        return 0.0;
    }
    let weight = if common == a.len() && common == b.len() {
        1.0
    } else if common == a.len().min(b.len()) {
        2.0 / 3.0
    } else if common > 0 {
        1.0 / 3.0
    } else {
        0.0
    };
    1.0 - common as f64 / union as f64 * weight
}

fn intersection_len(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut common) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    common
}

#[cfg(test)]
mod tests {
    use super::masi_distance;

    #[test]
    fn weights_follow_the_relation_of_the_two_sets() {
        assert_eq!(masi_distance(&[], &[]), 0.0);
        assert_eq!(masi_distance(&[1, 2], &[1, 2]), 0.0);
        assert_eq!(masi_distance(&[], &[3]), 1.0);
        assert_eq!(masi_distance(&[1], &[2]), 1.0);
        // {1} ⊂ {1,2}: Jaccard 1/2, weight 2/3.
        assert!((masi_distance(&[1], &[1, 2]) - (1.0 - 1.0 / 3.0)).abs() < 1e-15);
        // {1,2} and {2,3}: Jaccard 1/3, weight 1/3.
        assert!((masi_distance(&[1, 2], &[2, 3]) - (1.0 - 1.0 / 9.0)).abs() < 1e-15);
        assert_eq!(
            masi_distance(&[1, 2], &[2, 3]),
            masi_distance(&[2, 3], &[1, 2])
        );
    }
}
