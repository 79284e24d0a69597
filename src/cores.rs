//! Work spread over every core, results in the order of the input: what the commands use
//! where segmenting or scoring a whole corpus dominates their time.

use std::thread;

/// `f` of each item, in order, computed on every core (on the calling thread alone when
/// there are fewer than two items per core, where threads would cost more than they save).
pub fn map<I: Sync, T: Send>(items: &[I], f: impl Fn(&I) -> T + Sync) -> Vec<T> {
    map_from(items, 0, f)
}

/// [`map`], on the calling thread alone below `small` items too: for work so light per item
/// that only a large input repays starting threads.
pub fn map_from<I: Sync, T: Send>(items: &[I], small: usize, f: impl Fn(&I) -> T + Sync) -> Vec<T> {
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < small.max(2 * threads) {
        return items.iter().map(f).collect();
    }
    let f = &f;
    thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<T>>()))
            .collect();
        parts
            .into_iter()
            .flat_map(|part| {
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_the_order_of_the_items() {
        for n in [0, 1, 3, 1000, 1001] {
            let items: Vec<usize> = (0..n).collect();
            assert_eq!(
                super::map(&items, |i| i * 2),
                (0..n).map(|i| i * 2).collect::<Vec<_>>()
            );
        }
    }
}
