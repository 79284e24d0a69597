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
    parts(items, small, |part| part.iter().map(&f).collect::<Vec<T>>())
        .into_iter()
        .flatten()
        .collect()
}

/// `f` of consecutive parts of `items`, one part a core, results in order (one part, on the
/// calling thread, below `small` items or two a core): for work that keeps one buffer a part.
pub fn parts<I: Sync, T: Send>(items: &[I], small: usize, f: impl Fn(&[I]) -> T + Sync) -> Vec<T> {
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < small.max(2 * threads) {
        return vec![f(items)];
    }
    let f = &f;
    thread::scope(|scope| {
        let spawned: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| scope.spawn(move || f(part)))
            .collect();
        spawned.into_iter().map(joined).collect()
    })
}

/// [`parts`] over parts that `f` may change (take strings out of, for one).
pub fn parts_mut<I: Send, T: Send>(
    items: &mut [I],
    small: usize,
    f: impl Fn(&mut [I]) -> T + Sync,
) -> Vec<T> {
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < small.max(2 * threads) {
        return vec![f(items)];
    }
    let size = items.len().div_ceil(threads);
    let f = &f;
    thread::scope(|scope| {
        let spawned: Vec<_> = items
            .chunks_mut(size)
            .map(|part| scope.spawn(move || f(part)))
            .collect();
        spawned.into_iter().map(joined).collect()
    })
}

/// A scoped thread's result, its panic carried on to the caller.
fn joined<T>(handle: thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
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

    #[test]
    fn parts_cover_the_items_in_order() {
        for n in [0, 1, 3, 1000, 1001] {
            let mut items: Vec<usize> = (0..n).collect();
            let sums: Vec<Vec<usize>> = super::parts(&items, 0, |part| part.to_vec());
            assert_eq!(sums.concat(), items);
            let taken = super::parts_mut(&mut items, 0, |part| {
                part.iter_mut().map(std::mem::take).collect::<Vec<_>>()
            });
            assert_eq!(taken.concat(), (0..n).collect::<Vec<_>>());
            assert!(items.iter().all(|&i| i == 0));
        }
    }
}
