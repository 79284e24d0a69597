//! The query matcher shared by search and the review list's text filter: a substring,
//! ignoring case unless the query has a capital letter.

use memchr::{memchr, memchr2};

/// A search query with smart case: it ignores case unless it has a capital letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextQuery {
    needle: String,
    fold: bool,
}

impl TextQuery {
    /// The query for `text`; an empty one matches everything.
    pub fn new(text: &str) -> TextQuery {
        let fold = !text.chars().any(char::is_uppercase);
        TextQuery {
            needle: if fold {
                text.to_lowercase()
            } else {
                text.to_owned()
            },
            fold,
        }
    }

    /// True when `haystack` contains the query.
    pub fn is_in(&self, haystack: &str) -> bool {
        let needle = self.needle.as_bytes();
        let Some(&first) = needle.first() else {
            return true;
        };
        if !self.fold {
            return memchr::memmem::find(haystack.as_bytes(), needle).is_some();
        }
        if !self.needle.is_ascii() {
            return haystack.to_lowercase().contains(&self.needle);
        }
        // An ASCII query ignoring case: candidates are the first byte in either case, then
        // the rest compared without case, with no allocation per haystack.
        let bytes = haystack.as_bytes();
        let upper = first.to_ascii_uppercase();
        let mut from = 0;
        while from + needle.len() <= bytes.len() {
            let rest = &bytes[from..=bytes.len() - needle.len()];
            let found = if upper == first {
                memchr(first, rest)
            } else {
                memchr2(first, upper, rest)
            };
            let Some(at) = found else {
                return false;
            };
            let start = from + at;
            if bytes[start..start + needle.len()].eq_ignore_ascii_case(needle) {
                return true;
            }
            from = start + 1;
        }
        false
    }

    /// Where the query occurs in `haystack`, as byte ranges, left to right and not
    /// overlapping; none for an empty query. For highlighting: a sentence, not a corpus.
    pub fn ranges(&self, haystack: &str) -> Vec<std::ops::Range<usize>> {
        let mut out = Vec::new();
        if self.needle.is_empty() {
            return out;
        }
        if !self.fold {
            let finder = memchr::memmem::Finder::new(self.needle.as_bytes());
            let mut from = 0;
            while let Some(at) = finder.find(&haystack.as_bytes()[from..]) {
                out.push(from + at..from + at + self.needle.len());
                from += at + self.needle.len();
            }
            return out;
        }
        let mut from = 0;
        'start: while from < haystack.len() {
            let rest = &haystack[from..];
            // Compare the lowercased characters of `rest` with the (lowercase) needle.
            let mut want = self.needle.chars().peekable();
            for (offset, c) in rest.char_indices() {
                for lower in c.to_lowercase() {
                    if want.next() != Some(lower) {
                        from += rest.chars().next().map_or(1, char::len_utf8);
                        continue 'start;
                    }
                }
                if want.peek().is_none() {
                    let end = from + offset + c.len_utf8();
                    out.push(from..end);
                    from = end;
                    continue 'start;
                }
            }
            break;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::TextQuery;

    #[test]
    fn smart_case_matching() {
        let q = TextQuery::new("oil");
        assert!(q.is_in("New sanctions on OIL exports"));
        assert!(q.is_in("Oil"));
        assert!(!q.is_in("Soi l"));
        assert!(!q.is_in("oi"));
        let q = TextQuery::new("Oil");
        assert!(q.is_in("Oil prices"));
        assert!(!q.is_in("oil prices"));
        let q = TextQuery::new("東京");
        assert!(q.is_in("talks in 東京 ended"));
        let q = TextQuery::new("étude");
        assert!(q.is_in("Une ÉTUDE récente"));
        let q = TextQuery::new("a.b");
        assert!(q.is_in("xA.Bx") && !q.is_in("aXb"));
        assert!(TextQuery::new("").is_in(""));
        assert!(TextQuery::new("ab").is_in("aab"));
        assert!(!TextQuery::new("abc").is_in("ab"));
    }

    #[test]
    #[allow(clippy::single_range_in_vec_init)]
    fn ranges_are_where_the_query_matches() {
        assert_eq!(
            TextQuery::new("oil").ranges("Oil, oil and OIL"),
            [0..3, 5..8, 13..16]
        );
        assert_eq!(TextQuery::new("Oil").ranges("oil Oil"), [4..7]);
        assert_eq!(TextQuery::new("aa").ranges("aaa"), [0..2]);
        assert_eq!(TextQuery::new("étude").ranges("Une ÉTUDE"), [4..10]);
        assert_eq!(TextQuery::new("東京").ranges("in 東京"), [3..9]);
        assert!(TextQuery::new("x").ranges("abc").is_empty());
        assert!(TextQuery::new("").ranges("abc").is_empty());
        assert!(TextQuery::new("abc").ranges("ab").is_empty());
    }
}
