//! Work spread over every core: an import of a million annotations spends most of its time
//! reading lines and segmenting articles, and each line and each article is independent.

use std::thread;

/// `f` of each item, in order; on every core when there are at least `min` items per core.
pub(super) fn map<T: Sync, R: Send>(items: &[T], min: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < min.max(1) * threads {
        return items.iter().map(f).collect();
    }
    let f = &f;
    thread::scope(|scope| {
        let parts: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Vec<R>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for part in parts {
            out.extend(
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        out
    })
}

/// `items` cut into one part per core when there are at least `min` items per core, else
/// one part (none when empty).
pub(super) fn parts<T>(items: &[T], min: usize) -> Vec<&[T]> {
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    let count = if items.len() < min.max(1) * threads {
        1
    } else {
        threads
    };
    items.chunks(items.len().div_ceil(count).max(1)).collect()
}

/// Each part of `items` (as [`parts`] cuts them) folded into its own accumulator, made by
/// `start` of the part's length, with `f` of each item (which may take what the item owns)
/// and its position; the accumulators in order. Each part is folded on its own core, and
/// what the parts gather is never copied into one list here.
pub(super) fn fold_parts<T: Send, A: Send>(
    items: &mut [T],
    min: usize,
    start: impl Fn(usize) -> A + Sync,
    f: impl Fn(&mut A, usize, &mut T) + Sync,
) -> Vec<A> {
    let size = parts(items, min)
        .first()
        .map_or(1, |part| part.len().max(1));
    let fold = |first: usize, part: &mut [T]| {
        let mut acc = start(part.len());
        for (i, item) in part.iter_mut().enumerate() {
            f(&mut acc, first + i, item);
        }
        acc
    };
    if items.len() <= size {
        return vec![fold(0, items)];
    }
    let fold = &fold;
    thread::scope(|scope| {
        let running: Vec<_> = items
            .chunks_mut(size)
            .enumerate()
            .map(|(k, part)| scope.spawn(move || fold(k * size, part)))
            .collect();
        running
            .into_iter()
            .map(|part| {
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
            })
            .collect()
    })
}

/// `bytes` cut after a newline into about one piece per core (one piece when small), each
/// with the number of lines before it.
pub(super) fn pieces(bytes: &[u8]) -> Vec<(usize, &[u8])> {
    const SMALL: usize = 1 << 20;
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    let count = if bytes.len() < SMALL {
        1
    } else {
        threads.min(bytes.len() / SMALL)
    };
    let mut pieces = Vec::with_capacity(count);
    let (mut start, mut lines) = (0, 0);
    for k in 1..count {
        let target = (bytes.len() * k / count).max(start);
        let Some(newline) = memchr::memchr(b'\n', &bytes[target..]) else {
            break;
        };
        let end = target + newline + 1;
        pieces.push((lines, &bytes[start..end]));
        lines += memchr::memchr_iter(b'\n', &bytes[start..end]).count();
        start = end;
    }
    pieces.push((lines, &bytes[start..]));
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_cut_after_newlines_and_count_the_lines_before_them() {
        let line = "x".repeat(99) + "\n";
        let bytes = line.repeat(50_000);
        let pieces = pieces(bytes.as_bytes());
        let mut lines = 0;
        let mut joined = Vec::new();
        for (before, piece) in &pieces {
            assert_eq!(*before, lines);
            assert!(piece.is_empty() || piece.ends_with(b"\n"));
            lines += piece.iter().filter(|&&b| b == b'\n').count();
            joined.extend_from_slice(piece);
        }
        assert_eq!(joined, bytes.as_bytes());
        assert_eq!(super::pieces(b"a\nb").len(), 1);
    }

    #[test]
    fn fold_parts_sees_every_item_once_at_its_position() {
        for n in [0, 7, 10_000, 10_001] {
            let mut items: Vec<usize> = (0..n).collect();
            let parts = fold_parts(&mut items, 1, Vec::with_capacity, |seen, i, item| {
                seen.push((i, std::mem::take(item)))
            });
            let seen: Vec<(usize, usize)> = parts.into_iter().flatten().collect();
            assert_eq!(seen, (0..n).map(|i| (i, i)).collect::<Vec<_>>());
            assert!(items.iter().all(|&item| item == 0));
        }
    }

    #[test]
    fn map_keeps_the_order() {
        let items: Vec<usize> = (0..10_000).collect();
        assert_eq!(
            map(&items, 1, |n| n * 2),
            items.iter().map(|n| n * 2).collect::<Vec<_>>()
        );
    }
}
