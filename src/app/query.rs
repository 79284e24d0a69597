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
}
