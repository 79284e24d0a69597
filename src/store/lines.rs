//! A journal's lines from the last to the first, read a chunk at a time, so replay
//! never holds the whole file in memory.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

/// Bytes read at a time; a line longer than this is carried across chunks.
const CHUNK: u64 = 4 << 20;

/// Reads `file[start..end]`, appending it to `buf`.
fn read_range(mut file: &File, start: u64, end: u64, buf: &mut Vec<u8>) -> io::Result<()> {
    file.seek(SeekFrom::Start(start))?;
    let want = end - start;
    let got = file.take(want).read_to_end(buf)?;
    if got as u64 != want {
        return Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            "the file got shorter while it was read",
        ));
    }
    Ok(())
}

/// Splits `file[..len]` into the part that ends with its last newline and what
/// follows it (a last line without a newline; usually empty).
pub(crate) fn split_tail(file: &File, len: u64) -> io::Result<(u64, Vec<u8>)> {
    split_tail_by(file, len, 64 << 10)
}

fn split_tail_by(file: &File, len: u64, chunk: u64) -> io::Result<(u64, Vec<u8>)> {
    let mut tail = Vec::new();
    let mut end = len;
    while end > 0 {
        let start = end.saturating_sub(chunk);
        let mut chunk = Vec::new();
        read_range(file, start, end, &mut chunk)?;
        chunk.extend_from_slice(&tail);
        if let Some(i) = memchr::memrchr(b'\n', &chunk[..(end - start) as usize]) {
            chunk.drain(..=i);
            return Ok((start + i as u64 + 1, chunk));
        }
        tail = chunk;
        end = start;
    }
    Ok((0, tail))
}

/// Calls `each(line, offset)` for every line of `file[..body_len]` (which must end
/// with a newline), from the last line to the first, without the newline.
pub(crate) fn for_each_backward(
    file: &File,
    body_len: u64,
    each: impl FnMut(&[u8], u64),
) -> io::Result<()> {
    for_each_backward_by(file, body_len, CHUNK, each)
}

fn for_each_backward_by(
    file: &File,
    body_len: u64,
    chunk: u64,
    mut each: impl FnMut(&[u8], u64),
) -> io::Result<()> {
    let mut data = Vec::new();
    // The end of a line whose start lies before the chunk being read, newline included.
    let mut carry = Vec::new();
    let mut end = body_len;
    while end > 0 {
        let start = end.saturating_sub(chunk);
        data.clear();
        read_range(file, start, end, &mut data)?;
        data.extend_from_slice(&carry);
        let body = &data[..data.len() - 1];
        let mut line_end = body.len();
        for newline in memchr::memrchr_iter(b'\n', body) {
            each(&body[newline + 1..line_end], start + newline as u64 + 1);
            line_end = newline;
        }
        carry.clear();
        if start == 0 {
            each(&body[..line_end], 0);
        } else {
            carry.extend_from_slice(&data[..=line_end]);
        }
        end = start;
    }
    Ok(())
}

/// The 1-based number of the line that starts at byte `offset`.
pub(crate) fn line_number(file: &File, offset: u64) -> io::Result<usize> {
    let mut newlines = 0;
    let mut data = Vec::new();
    let mut start = 0;
    while start < offset {
        let end = offset.min(start + CHUNK);
        data.clear();
        read_range(file, start, end, &mut data)?;
        newlines += memchr::memchr_iter(b'\n', &data).count();
        start = end;
    }
    Ok(newlines + 1)
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use proptest::prelude::*;

    use super::*;

    fn file_with(bytes: &[u8]) -> File {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(bytes).unwrap();
        file
    }

    proptest! {
        #[test]
        fn lines_read_backward_in_chunks_are_the_lines_of_the_file(
            bytes in proptest::collection::vec(prop::sample::select(b"ab\n".to_vec()), 0..200),
            chunk in 1..16u64,
        ) {
            let file = file_with(&bytes);
            let (body_len, tail) = split_tail_by(&file, bytes.len() as u64, chunk).unwrap();
            let body = &bytes[..body_len as usize];
            prop_assert!(body.is_empty() || body.ends_with(b"\n"));
            prop_assert_eq!(&tail[..], &bytes[body.len()..]);
            prop_assert!(!tail.contains(&b'\n'));

            let mut got = Vec::new();
            for_each_backward_by(&file, body_len, chunk, |line, offset| {
                got.push((line.to_vec(), offset));
            })
            .unwrap();
            got.reverse();
            let mut expected = Vec::new();
            let mut offset = 0;
            if !body.is_empty() {
                for line in body[..body.len() - 1].split(|&b| b == b'\n') {
                    expected.push((line.to_vec(), offset as u64));
                    offset += line.len() + 1;
                }
            }
            prop_assert_eq!(&got, &expected);
            for (number, (_, offset)) in expected.iter().enumerate() {
                prop_assert_eq!(line_number(&file, *offset).unwrap(), number + 1);
            }
        }
    }
}
