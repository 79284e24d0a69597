//! The hash functions stance writes into files, each defined once: their values are part of
//! the journal format (sentence fingerprints), of the split assignment and of Prodigy's task
//! hashes, so a second copy that drifted would change what users' files mean.

/// 64-bit FNV-1a (offset 0xcbf29ce484222325, prime 0x100000001b3) over `bytes` in order.
pub fn fnv1a64<'a>(bytes: impl IntoIterator<Item = &'a u8>) -> u64 {
    fnv1a64_extend(FNV1A64_OFFSET, bytes)
}

/// [`fnv1a64`]'s starting value: the hash of no bytes.
pub const FNV1A64_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// Continues an [`fnv1a64`] hash with more bytes: `fnv1a64_extend(fnv1a64(a), b)` is
/// `fnv1a64(a ++ b)`, so the hashes of a string's prefixes cost one pass.
pub fn fnv1a64_extend<'a>(mut hash: u64, bytes: impl IntoIterator<Item = &'a u8>) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// MurmurHash3's 64-bit finalizer: every input bit affects every output bit, which FNV-1a's
/// low bits alone do not give.
pub fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// MurmurHash3_x86_32, as in the reference implementation (little-endian blocks).
pub fn murmur3_32(data: &[u8], seed: u32) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let mut h = seed;
    let mut blocks = data.chunks_exact(4);
    for block in &mut blocks {
        let k = u32::from_le_bytes([block[0], block[1], block[2], block[3]]);
        h ^= k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        h = h.rotate_left(13).wrapping_mul(5).wrapping_add(0xe654_6b64);
    }
    let tail = blocks.remainder();
    if !tail.is_empty() {
        let k = tail
            .iter()
            .rev()
            .fold(0u32, |k, &byte| (k << 8) | u32::from(byte));
        h ^= k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    }
    h ^= data.len() as u32;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^ (h >> 16)
}

/// The journal's sentence fingerprint as a number: [`fnv1a64`] of the text's UTF-8 bytes.
pub fn fingerprint_u64(text: &str) -> u64 {
    fnv1a64(text.as_bytes())
}

/// The fingerprint as the journal's `fp` field writes it: 16 lowercase hex digits.
pub fn format_fingerprint(fp: u64) -> String {
    format!("{fp:016x}")
}

/// A stored `fp` field as a number, when it is exactly 16 lowercase hex digits as
/// [`format_fingerprint`] writes them; `None` otherwise, and such a field matches no text.
pub fn parse_fingerprint(fp: &str) -> Option<u64> {
    let lower_hex = |b: u8| b.is_ascii_digit() || (b'a'..=b'f').contains(&b);
    if fp.len() != 16 || !fp.bytes().all(lower_hex) {
        return None;
    }
    u64::from_str_radix(fp, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a64_matches_reference_vectors() {
        // From the FNV reference test suite (Fowler, Noll, Vo).
        assert_eq!(fnv1a64(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x8594_4171_f739_67e8);
        assert_eq!(fnv1a64(b"chongo was here!\n"), 0x4681_0940_eff5_f915);
    }

    #[test]
    fn fmix64_matches_reference_vectors() {
        assert_eq!(fmix64(0), 0);
        // Published values of MurmurHash3's fmix64.
        assert_eq!(fmix64(1), 0xb456_bcfc_34c2_cb2c);
        assert_eq!(fmix64(u64::MAX), 0x64b5_720b_4b82_5f21);
        assert_eq!(fmix64(0xcbf2_9ce4_8422_2325), 0xefd0_1f60_ba99_2926);
    }

    #[test]
    fn murmur3_matches_reference_vectors() {
        assert_eq!(murmur3_32(b"", 0), 0);
        assert_eq!(murmur3_32(b"", 1), 0x514e_28b7);
        assert_eq!(murmur3_32(b"hello", 0), 0x248b_fa47);
        assert_eq!(murmur3_32(b"Hello, world!", 0), 0xc036_3e43);
        assert_eq!(
            murmur3_32(b"The quick brown fox jumps over the lazy dog", 0),
            0x2e4f_f723
        );
    }

    #[test]
    fn fingerprints_round_trip_only_in_their_written_form() {
        for text in ["", "a", "Talks resumed.", "東京で会談", "e\u{301}"] {
            let fp = fingerprint_u64(text);
            assert_eq!(
                parse_fingerprint(&format_fingerprint(fp)),
                Some(fp),
                "{text}"
            );
        }
        assert_eq!(
            format_fingerprint(0xaf63_dc4c_8601_ec8c),
            "af63dc4c8601ec8c"
        );
        assert_eq!(format_fingerprint(1), "0000000000000001");
        let fp = format_fingerprint(fingerprint_u64("x"));
        assert_eq!(parse_fingerprint(&fp.to_uppercase()), None);
        assert_eq!(parse_fingerprint(&fp[1..]), None);
        assert_eq!(parse_fingerprint(&format!("{fp}0")), None);
        assert_eq!(parse_fingerprint("+123456789abcdef"), None);
        assert_eq!(parse_fingerprint("not hex at all!!"), None);
        assert_eq!(parse_fingerprint(""), None);
    }
}
