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

/// `f` of each item with its position, taking the item, in order; on every core when there
/// are at least `min` items per core. Taking the items saves copying what they own.
pub(super) fn map_into<T: Send, R: Send>(
    mut items: Vec<T>,
    min: usize,
    f: impl Fn(usize, T) -> R + Sync,
) -> Vec<R> {
    let threads = thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < min.max(1) * threads {
        return items
            .into_iter()
            .enumerate()
            .map(|(i, item)| f(i, item))
            .collect();
    }
    let size = items.len().div_ceil(threads);
    let total = items.len();
    // Cut from the end, so that each element is moved once.
    let mut parts = Vec::with_capacity(threads);
    while items.len() > size {
        let at = (items.len() - 1) / size * size;
        parts.push((at, items.split_off(at)));
    }
    parts.push((0, items));
    parts.reverse();
    let f = &f;
    thread::scope(|scope| {
        let running: Vec<_> = parts
            .into_iter()
            .map(|(first, part)| {
                scope.spawn(move || {
                    part.into_iter()
                        .enumerate()
                        .map(|(i, item)| f(first + i, item))
                        .collect::<Vec<R>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(total);
        for part in running {
            out.extend(
                part.join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            );
        }
        out
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
    fn map_into_keeps_the_order_and_the_positions() {
        for n in [0, 7, 10_000, 10_001] {
            let items: Vec<String> = (0..n).map(|i| i.to_string()).collect();
            let out = map_into(items, 1, |i, s| (i, s.parse::<usize>().unwrap()));
            assert_eq!(out, (0..n).map(|i| (i, i)).collect::<Vec<_>>());
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
